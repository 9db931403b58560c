import { cutText, type InboundMessage, type MessageKind } from '../../../core/message.js';
import { countryAt, countryOfPhone } from '../../place-country.js';
import type { CloudMessage, MessagesValue } from './webhook-schema.js';

/** What a webhook body held for this number: the users' messages, and how many delivery statuses. */
export interface WebhookContent {
  messages: InboundMessage[];
  statuses: number;
  /** The Graph error code of each `failed` status (a reply that did not reach its user); no number, no text. */
  failures: (number | undefined)[];
}

/** The kind and the media of a message, by its type; a type Lotse has no use for is "other". */
function kindOf(message: CloudMessage): { kind: MessageKind; media?: { id: string; mime_type?: string; caption?: string } } {
  switch (message.type) {
    case 'text':
    case 'button':
      return { kind: 'text' };
    case 'interactive':
      // A flow's answer or anything else that is not a plain choice: Lotse cannot read it.
      return { kind: message.interactive?.button_reply || message.interactive?.list_reply ? 'text' : 'other' };
    case 'audio':
      return { kind: 'voice', media: message.audio };
    case 'image':
      return { kind: 'photo', media: message.image };
    case 'document':
      return { kind: 'document', media: message.document };
    case 'sticker':
      return { kind: 'sticker', media: message.sticker };
    case 'location':
      return { kind: 'location' };
    case 'video':
      // Lotse has no kind for videos; an advisor can still open it.
      return { kind: 'other', media: message.video };
    default:
      return { kind: 'other' };
  }
}

/**
 * One Cloud API message as Lotse's InboundMessage. A pressed button or list row carries its id,
 * which is the action Lotse gave it; a shared location leaves only its country (the coordinates
 * are not kept). Every message yields one, a reaction or an unsupported type included, so that
 * the user gets a helpful reply rather than silence.
 */
export function toInboundMessage(message: CloudMessage): InboundMessage {
  const userId = message.from.replace(/\D/g, '');
  const { kind, media } = kindOf(message);
  const choice = message.type === 'interactive' ? (message.interactive?.button_reply ?? message.interactive?.list_reply) : undefined;
  const raw = message.type === 'text' ? message.text?.body : message.type === 'button' ? message.button?.text : media?.caption;
  const { text, truncated } = cutText(raw ?? '');
  const location = message.type === 'location' ? message.location : undefined;
  const sharedCountry = location ? countryAt(location.latitude, location.longitude) : undefined;
  const countryHint = countryOfPhone(userId);
  return {
    id: `whatsapp:${userId}:${message.id}`,
    channel: 'whatsapp',
    userId,
    kind,
    text: choice ? '' : text,
    ...(truncated && !choice ? { truncated } : {}),
    ...(choice ? { action: choice.id } : {}),
    receivedAt: new Date(message.timestamp * 1000).toISOString(),
    ...(media ? { media: { ref: media.id, mimeType: media.mime_type } } : {}),
    ...(sharedCountry ? { sharedCountry } : {}),
    ...(countryHint ? { countryHint } : {}),
  };
}

/** The messages and statuses of the checked `messages` changes (see webhook-schema.ts), in order. */
export function webhookContent(values: MessagesValue[]): WebhookContent {
  const content: WebhookContent = { messages: [], statuses: 0, failures: [] };
  for (const value of values) {
    for (const message of value.messages ?? []) content.messages.push(toInboundMessage(message));
    for (const status of value.statuses ?? []) {
      content.statuses += 1;
      if (status.status === 'failed') content.failures.push(status.errors?.[0]?.code);
    }
  }
  return content;
}
