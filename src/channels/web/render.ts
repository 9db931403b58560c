import MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import type { SourceRef } from '../../core/answer.js';

/**
 * Runs that read left to right even inside Arabic or Urdu text: URLs, paragraph numbers ("§18a",
 * "§20a Abs. 2 AufenthG"), and numbers with their separators and currency: phone numbers
 * ("+49 30 1815-1111"), dates ("2026-11-22"), amounts ("€50,700", "50.700 €"), ranges ("8–16").
 * Unisolated, the bidi algorithm reorders their parts ("1815-1111 30 49+").
 */
const LTR_RUN = new RegExp(
  [
    String.raw`https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’”»]`,
    String.raw`§§?\s?\d+[a-z]?(?:\s?[/,–-]\s?§?\s?\d+[a-z]?)*(?:\s(?:Abs\.|Satz|Nr\.)\s?\d+[a-z]?)*(?:\s[A-Z][A-Za-z]*G\b)?`,
    String.raw`(?:[€$£]\s?)?\+?\d+(?:(?:[.,:/–-]|[ \u00a0\u202f](?=\d))\d+)*(?:\s?(?:€|%|EUR\b))?`,
  ].join('|'),
  'gu',
);

interface RenderEnv {
  direction: 'ltr' | 'rtl';
}

/** Links only to http(s) pages, each opening in a new tab; any other link keeps its text only. */
function keepWebLinks(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const kept: Token[] = [];
    const dropped: boolean[] = [];
    for (const token of block.children) {
      if (token.type === 'link_open') {
        const web = /^https?:\/\//i.test(token.attrGet('href') ?? '');
        dropped.push(!web);
        if (!web) continue;
        token.attrSet('target', '_blank');
        token.attrSet('rel', 'noopener noreferrer');
      } else if (token.type === 'link_close' && dropped.pop()) continue;
      kept.push(token);
    }
    block.children = kept;
  }
}

/** In a right-to-left reply, each left-to-right run of a text goes into its own <bdi dir="ltr">. */
function isolateLtrRuns(state: StateCore): void {
  if ((state.env as Partial<RenderEnv>).direction !== 'rtl') return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    block.children = block.children.flatMap((token) => (token.type === 'text' ? splitRuns(state, token) : [token]));
  }
}

function splitRuns(state: StateCore, token: Token): Token[] {
  const out: Token[] = [];
  const text = (content: string) => {
    const t = new state.Token('text', '', 0);
    t.content = content;
    out.push(t);
  };
  let last = 0;
  for (const match of token.content.matchAll(LTR_RUN)) {
    if (match.index > last) text(token.content.slice(last, match.index));
    const open = new state.Token('bdi_open', 'bdi', 1);
    open.attrSet('dir', 'ltr');
    out.push(open);
    text(match[0]);
    out.push(new state.Token('bdi_close', 'bdi', -1));
    last = match.index + match[0].length;
  }
  if (last === 0) return [token];
  if (last < token.content.length) text(token.content.slice(last));
  return out;
}

/** The renderer of replies: CommonMark and tables, raw HTML off (shown as text), no images, explicit URLs linked. */
function createRenderer(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false });
  md.disable('image');
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  // Every link is checked by keepWebLinks instead, which keeps the text of one it drops.
  md.validateLink = () => true;
  md.core.ruler.push('keep_web_links', keepWebLinks);
  md.core.ruler.push('isolate_ltr_runs', isolateLtrRuns);
  // A wide table scrolls sideways on a phone instead of widening the page.
  md.renderer.rules.table_open = () => '<div class="table"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

const renderer = createRenderer();

/** A reply's Markdown as HTML for the page: safe to insert as it is. */
export function renderReplyHtml(text: string, direction: 'ltr' | 'rtl'): string {
  const env: RenderEnv = { direction };
  return renderer.render(text, env);
}

const SOURCE_LINE = /^\[\d+\]\s+\S/;
const HEADING_LINE = /^\s*\S[^\n]{0,40}:\s*$/;

/**
 * The text without the sources list that older answers carry at their end ("Sources:" and lines
 * like "[1] Title, as of 2026-11-22: https://…"), when the same sources come in `sources`: the page
 * lists those itself. A line is taken for a source only if it names one of them.
 */
export function withoutListedSources(text: string, sources: SourceRef[]): string {
  if (sources.length === 0) return text;
  const names = (line: string) => sources.some((source) => (source.url !== '' && line.includes(source.url)) || (source.title !== '' && line.includes(source.title)));
  const lines = text.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (SOURCE_LINE.test(line) && names(line)) {
      // The heading just before the first source line ("Sources:") goes with it.
      if (kept.length > 0 && HEADING_LINE.test(kept.at(-1)!) && !SOURCE_LINE.test(kept.at(-1)!)) kept.pop();
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
