import type { OutboundMessage } from '../core/message.js';
import { renderForMessaging, renderSources, type InlineSyntax } from './markdown-render.js';

/** Plain text, for a terminal and the `ask` JSON: no markup, links written out. */
const PLAIN: InlineSyntax = {
  text: (text) => text,
  bold: (inner) => inner,
  italic: (inner) => inner,
  strike: (inner) => inner,
  code: (text) => text,
  link: (label, href) => (label === href ? href : `${label} (${href})`),
};

/** A reply as plain text: its Markdown without markup, then "Sources:" and a numbered line per source with its address. */
export function plainText(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels'>): string {
  const body = renderForMessaging(reply.text, PLAIN);
  if (!reply.sources?.length) return body;
  const sourceLines = renderSources(reply.sources, reply.sourceLabels, { ...PLAIN, link: (label, href) => `${label}: ${href}` });
  // "[1] Title: https://…, as of 2026-11-22" reads better as "[1] Title, as of 2026-11-22: https://…".
  const lines = sourceLines.split('\n').map((line) => line.replace(/^(\[\d+\] .*?): (https?:\/\/\S+), (.*)$/u, '$1, $3: $2'));
  return `${body}\n\n${lines.join('\n')}`;
}
