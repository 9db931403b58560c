import type { OutboundMessage, ReplyButton } from '../../../core/message.js';
import { splitText, WHATSAPP_INTERACTIVE_BODY_LIMIT, whatsappParts } from '../render.js';

/** Meta's limits for interactive messages (characters). */
export const MAX_REPLY_BUTTONS = 3;
export const BUTTON_TITLE_LIMIT = 20;
export const MAX_LIST_ROWS = 10;
export const ROW_TITLE_LIMIT = 24;
export const ROW_DESCRIPTION_LIMIT = 72;
export const ROW_ID_LIMIT = 200;
export const BUTTON_ID_LIMIT = 256;
export const LIST_BUTTON_LIMIT = 20;

/** One Graph API message of a reply: plain text, or the last part carrying the reply's buttons. */
export type CloudPart =
  | { kind: 'text'; body: string }
  | { kind: 'buttons'; body: string; buttons: { id: string; title: string }[] }
  | { kind: 'list'; body: string; button: string; rows: { id: string; title: string; description?: string }[] };

const length = (text: string) => Array.from(text).length;

/** A label cut to `limit` characters (code points), ending in "…" when cut. */
export function shorten(text: string, limit: number): string {
  const points = Array.from(text.trim());
  return points.length <= limit ? points.join('') : `${points.slice(0, limit - 1).join('').trimEnd()}…`;
}

/** Reply buttons when they fit (at most three, short distinct labels); otherwise a list, which takes ten rows of longer labels. */
function choices(buttons: ReplyButton[], body: string, menuLabel: string): CloudPart {
  const titles = buttons.map((button) => button.label.trim());
  const fit = buttons.length <= MAX_REPLY_BUTTONS && titles.every((title) => title !== '' && length(title) <= BUTTON_TITLE_LIMIT) && new Set(titles).size === titles.length;
  if (fit) return { kind: 'buttons', body, buttons: buttons.map((button, i) => ({ id: button.action.slice(0, BUTTON_ID_LIMIT), title: titles[i]! })) };
  return {
    kind: 'list',
    body,
    button: shorten(menuLabel, LIST_BUTTON_LIMIT) || 'Menu',
    rows: buttons.slice(0, MAX_LIST_ROWS).map((button) => {
      const title = shorten(button.label, ROW_TITLE_LIMIT) || '…';
      // A shortened title is shown in full (as far as it goes) underneath.
      return { id: button.action.slice(0, ROW_ID_LIMIT), title, ...(title !== button.label.trim() ? { description: shorten(button.label, ROW_DESCRIPTION_LIMIT) } : {}) };
    }),
  };
}

/**
 * The reply as Graph API messages, in order: its text in message-sized parts, the last one carrying
 * the buttons. An interactive body holds 1,024 characters, so a longer last part is cut and its
 * end goes with the buttons. Each part is one API call: the outbound worker records each on its own.
 */
export function cloudParts(reply: Pick<OutboundMessage, 'text' | 'sources' | 'sourceLabels' | 'buttons'>, menuLabel: string): CloudPart[] {
  const texts = whatsappParts(reply);
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return texts.map((body) => ({ kind: 'text', body }));
  const last = texts.pop() ?? '';
  const pieces = splitText(last, WHATSAPP_INTERACTIVE_BODY_LIMIT);
  // A body is required: buttons under no text are announced by the menu's own label.
  const body = pieces.pop() ?? menuLabel;
  return [...[...texts, ...pieces].map((text): CloudPart => ({ kind: 'text', body: text })), choices(buttons, body, menuLabel)];
}

/** The Graph API message (POST /{phone-number-id}/messages) for one part. */
export function graphMessage(to: string, part: CloudPart): Record<string, unknown> {
  const common = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  switch (part.kind) {
    case 'text':
      return { ...common, type: 'text', text: { body: part.body, preview_url: false } };
    case 'buttons':
      return {
        ...common,
        type: 'interactive',
        interactive: { type: 'button', body: { text: part.body }, action: { buttons: part.buttons.map((reply) => ({ type: 'reply', reply })) } },
      };
    case 'list':
      return {
        ...common,
        type: 'interactive',
        interactive: { type: 'list', body: { text: part.body }, action: { button: part.button, sections: [{ rows: part.rows }] } },
      };
  }
}
