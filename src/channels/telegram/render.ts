import type { OutboundMessage } from '../../core/message.js';
import { renderForMessaging, renderSources, type InlineSyntax } from '../markdown-render.js';

/** Telegram's limit for one message; we stay a little under it. */
export const TELEGRAM_LIMIT = 4096;
const PART_LIMIT = TELEGRAM_LIMIT - 200;

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/** Telegram's HTML parse mode: the few tags it knows, everything else escaped. */
const TELEGRAM_HTML: InlineSyntax = {
  text: escapeHtml,
  bold: (inner) => `<b>${inner}</b>`,
  italic: (inner) => `<i>${inner}</i>`,
  strike: (inner) => `<s>${inner}</s>`,
  code: (text) => `<code>${escapeHtml(text)}</code>`,
  link: (label, href) => `<a href="${escapeAttribute(href)}">${label}</a>`,
};

/** A reply in Telegram HTML: its Markdown rendered (lists as lines, tables as lists), then its sources as links. */
export function renderHtml(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels'>): string {
  const body = renderForMessaging(reply.text, TELEGRAM_HTML);
  const sources = renderSources(reply.sources, reply.sourceLabels, TELEGRAM_HTML);
  return [body, sources].filter(Boolean).join('\n\n');
}

const stripTags = (html: string) => html.replace(/<[^>]*>/g, '');

/**
 * The reply's HTML in parts that fit one message: cut between paragraphs, then between lines (no
 * tag spans either); a single line longer than a message loses its formatting and is cut at spaces.
 */
export function replyParts(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels'>, limit = PART_LIMIT): string[] {
  const html = renderHtml(reply);
  if (html.length <= limit) return [html];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim() !== '') parts.push(current.trim());
    current = '';
  };
  for (const line of html.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    push();
    if (line.length <= limit) {
      current = line;
      continue;
    }
    let rest = stripTags(line);
    while (rest.length > limit) {
      const cut = rest.lastIndexOf(' ', limit) > limit / 2 ? rest.lastIndexOf(' ', limit) : limit;
      // Never cut inside an entity such as "&amp;".
      const safe = rest.lastIndexOf('&', cut) > cut - 6 && rest.indexOf(';', rest.lastIndexOf('&', cut)) >= cut ? rest.lastIndexOf('&', cut) : cut;
      parts.push(rest.slice(0, safe));
      rest = rest.slice(safe).trimStart();
    }
    current = rest;
  }
  push();
  return parts;
}
