/** Telegram's limit for one message; we stay a little under it. */
export const TELEGRAM_LIMIT = 4096;

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/** A source line "[1] Title, as of 2026-11-22: https://…" becomes "[1] <a href>Title</a>, as of 2026-11-22". */
const SOURCE_LINE = /^\[(\d+)\] (.+?)(, [^,:]+(?::[^/][^:]*)?)?: (https?:\/\/\S+)$/u;

/** One line of a reply in Telegram HTML: escaped, sources as links, *emphasis* bold. */
function renderLine(line: string): string {
  const source = SOURCE_LINE.exec(line);
  if (source) {
    const [, n, title, rest, url] = source;
    return `[${n}] <a href="${escapeAttribute(url!)}">${escapeHtml(title!)}</a>${escapeHtml(rest ?? '')}`;
  }
  return escapeHtml(line).replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
}

/** Splits plain text at paragraph, then line, then word boundaries into parts that fit the limit once rendered. */
export function splitText(text: string, limit = TELEGRAM_LIMIT - 200): string[] {
  if (renderHtml(text).length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const unit of text.split(/(?<=\n\n)|(?<=\n)|(?<= )/)) {
    if (renderHtml(current + unit).length > limit && current !== '') {
      parts.push(current.trimEnd());
      current = '';
    }
    current += unit;
    while (renderHtml(current).length > limit) {
      // One unbroken run longer than the limit: cut it.
      const cut = Math.floor(limit / 2);
      parts.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current.trim() !== '') parts.push(current.trimEnd());
  return parts;
}

/** A reply's text in Telegram's HTML parse mode. */
export function renderHtml(text: string): string {
  return text.split('\n').map(renderLine).join('\n');
}
