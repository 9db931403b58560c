import type { OutboundMessage } from '../../core/message.js';
import { renderForMessaging, renderSources, type InlineSyntax } from '../markdown-render.js';

/** WhatsApp's limit for a text message body. */
export const WHATSAPP_TEXT_LIMIT = 4096;
/** An interactive message's body (reply buttons, list) holds at most 1,024 characters. */
export const WHATSAPP_INTERACTIVE_BODY_LIMIT = 1024;

/**
 * WhatsApp's own syntax: *bold*, _italic_, ~strike~, `code`. It has no links, so a link is its
 * label and the address as plain text (WhatsApp makes it tappable); a label that is the address is
 * written once.
 */
export const WHATSAPP_SYNTAX: InlineSyntax = {
  text: (text) => text,
  bold: (inner) => (inner.trim() ? `*${inner}*` : inner),
  italic: (inner) => (inner.trim() ? `_${inner}_` : inner),
  strike: (inner) => (inner.trim() ? `~${inner}~` : inner),
  code: (text) => (text.includes('\n') ? `\`\`\`${text}\`\`\`` : `\`${text}\``),
  link: (label, href) => (label.trim() === '' || label.trim() === href ? href : `${label} (${href})`),
};

/** A reply in WhatsApp's syntax: its Markdown rendered (lists as lines, tables as lists), then its sources with their addresses. */
export function renderWhatsApp(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels'>): string {
  const body = renderForMessaging(reply.text, WHATSAPP_SYNTAX);
  const sources = renderSources(reply.sources, reply.sourceLabels, WHATSAPP_SYNTAX);
  return [body, sources].filter(Boolean).join('\n\n');
}

/**
 * The reply in message-sized parts: cut between paragraphs, then between lines, then at spaces
 * (a line longer than a message). Never cuts inside a surrogate pair.
 */
export function whatsappParts(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels'>, limit = WHATSAPP_TEXT_LIMIT - 96): string[] {
  return splitText(renderWhatsApp(reply), limit);
}

/** Splits a text into parts of at most `limit` UTF-16 units, preferring paragraph, line and word boundaries. */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return text.trim() ? [text] : [];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf('\n\n');
    if (cut < limit / 2) cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) parts.push(rest.trim());
  return parts.filter(Boolean);
}
