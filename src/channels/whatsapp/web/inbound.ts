import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { cutText, type InboundMessage, type MessageKind } from '../../../core/message.js';
import { countryAt, countryOfPhone } from '../../place-country.js';
import type { WebMessageLike } from './client.js';
import { waWebKeys } from './keys.js';

/** A phone number's chat, `<digits>@c.us`, and a linked id's, `<digits>@lid` (WhatsApp hides the number behind it). */
const PHONE_CHAT = /^(\d{5,20})@c\.us$/;
const LID_CHAT = /^(\d{5,32})@lid$/;
/** Lotse's user id of a linked-id chat. */
const LID_USER = /^lid:(\d{5,32})$/;
const PHONE_USER = /^\d{5,20}$/;
/** whatsapp-web.js's message ids are hex; anything else is hashed before it goes into an id or a key. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Notices WhatsApp Web shows in a chat but no person wrote: security-code changes, call logs,
 * deleted messages, undecryptable placeholders, group events. Answering them would be noise.
 */
const SYSTEM_TYPES = new Set([
  'e2e_notification', 'notification', 'notification_template', 'gp2', 'group_notification', 'broadcast_notification',
  'call_log', 'protocol', 'ciphertext', 'revoked', 'debug', 'reaction',
]);

const KINDS: Record<string, MessageKind> = {
  chat: 'text',
  buttons_response: 'text',
  list_response: 'text',
  template_button_reply: 'text',
  ptt: 'voice',
  audio: 'voice',
  image: 'photo',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
};

/**
 * Types whose body is what the person wrote (a caption for media; a button's label when it came
 * without its id). A location's body is a thumbnail, a contact card's is third parties' numbers:
 * neither is kept.
 */
const TEXT_TYPES = new Set(['chat', 'image', 'document', 'video', 'ptt', 'audio', 'buttons_response', 'list_response', 'template_button_reply']);

/** Kinds whose file is downloaded at arrival (media.ts): voice notes to transcribe, photos and documents for advisors. */
export const MEDIA_KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>(['voice', 'photo', 'document']);

/** Lotse's user id of a chat: the number's digits, `lid:<digits>`, or undefined for chats Lotse does not talk in. */
export function userIdOfChat(chat: string): string | undefined {
  const phone = PHONE_CHAT.exec(chat);
  if (phone) return phone[1];
  const lid = LID_CHAT.exec(chat);
  return lid ? `lid:${lid[1]}` : undefined;
}

/** The chat of a user id (the reverse of userIdOfChat), or undefined for an id that is not WhatsApp Web's. */
export function chatOfUser(userId: string): string | undefined {
  if (PHONE_USER.test(userId)) return `${userId}@c.us`;
  const lid = LID_USER.exec(userId);
  return lid ? `${lid[1]}@lid` : undefined;
}

/** `<userId>:<message id>`: the message's InboundMessage id without the channel, its media's `ref`, its duplicate marker. */
export function messageRef(message: Pick<InboundMessage, 'id'>): string {
  return message.id.slice('whatsapp:'.length);
}

function messageIdOf(message: WebMessageLike): string | undefined {
  const id = message.id?.id;
  if (typeof id === 'string' && MESSAGE_ID.test(id)) return id;
  const serialized = message.id?._serialized;
  // Stable for a re-emitted message, so the duplicate check still holds.
  return typeof serialized === 'string' && serialized ? createHash('sha256').update(serialized).digest('hex').slice(0, 32) : undefined;
}

function receivedAt(timestamp: unknown): string {
  const ms = typeof timestamp === 'number' && Number.isFinite(timestamp) && timestamp > 0 && timestamp < 2 ** 32 ? timestamp * 1000 : Date.now();
  return new Date(ms).toISOString();
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.slice(0, 256) : undefined);

/**
 * A whatsapp-web.js message as Lotse's InboundMessage, or undefined for what Lotse does not
 * answer: its own messages, groups, status updates, broadcast lists, channels (newsletters),
 * system notices. Of a shared location only its country is kept; a `@c.us` number's calling code
 * gives a country hint. Never throws, whatever the message holds.
 */
export function toInboundMessage(message: WebMessageLike): InboundMessage | undefined {
  if (!message || typeof message !== 'object') return undefined;
  if (message.fromMe || message.id?.fromMe || message.isStatus || message.broadcast) return undefined;
  const from = typeof message.from === 'string' ? message.from : '';
  // Only one-to-one chats map to a user; groups (@g.us), status@broadcast and @newsletter do not.
  const userId = userIdOfChat(from);
  const type = typeof message.type === 'string' ? message.type : 'unknown';
  if (!userId || SYSTEM_TYPES.has(type)) return undefined;
  const messageId = messageIdOf(message);
  if (!messageId) return undefined;
  const action = nonEmpty(message.selectedButtonId) ?? nonEmpty(message.selectedRowId);
  const { text, truncated } = cutText(!action && TEXT_TYPES.has(type) && typeof message.body === 'string' ? message.body : '');
  const phone = PHONE_CHAT.exec(from)?.[1];
  const countryHint = phone ? countryOfPhone(phone) : undefined;
  const location = type === 'location' ? message.location : undefined;
  const sharedCountry = location ? countryAt(Number(location.latitude), Number(location.longitude)) : undefined;
  return {
    id: `whatsapp:${userId}:${messageId}`,
    channel: 'whatsapp',
    userId,
    kind: KINDS[type] ?? 'other',
    text,
    ...(truncated ? { truncated } : {}),
    ...(action ? { action } : {}),
    receivedAt: receivedAt(message.timestamp),
    ...(sharedCountry ? { sharedCountry } : {}),
    ...(countryHint ? { countryHint } : {}),
  };
}

/** Marks that right-to-left keyboards put around digits; they do not change the number. */
const DIRECTION_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const CHOICE = /^[0-9\u0660-\u0669\u06f0-\u06f9]{1,2}$/;

/** The number a text is, exactly ("2", " 2 ", Arabic-Indic "٢", Extended "۲"), or undefined. */
export function choiceNumber(text: string): number | undefined {
  const bare = text.replace(DIRECTION_MARKS, '').trim();
  if (!CHOICE.test(bare)) return undefined;
  let value = 0;
  for (const char of bare) {
    const code = char.charCodeAt(0);
    value = value * 10 + (code >= 0x06f0 ? code - 0x06f0 : code >= 0x0660 ? code - 0x0660 : code - 0x30);
  }
  return value > 0 ? value : undefined;
}

/** The actions last offered to the user as numbered lines (outbound.ts stores them), or none. */
export async function offeredActions(redis: Redis, keyPrefix: string, userId: string): Promise<string[]> {
  const raw = await redis.get(waWebKeys(keyPrefix).options(userId));
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * WhatsApp Web shows no buttons, so the sender writes them as numbered lines: a text that is
 * exactly one of the offered numbers becomes that button's action (with no text), as a tap would.
 * Any other message leaves the message and the offered choices as they are.
 */
export async function applyChoice(redis: Redis, keyPrefix: string, message: InboundMessage): Promise<InboundMessage> {
  if (message.kind !== 'text' || message.action) return message;
  const number = choiceNumber(message.text);
  if (number === undefined) return message;
  const action = (await offeredActions(redis, keyPrefix, message.userId))[number - 1];
  return action ? { ...message, text: '', action } : message;
}
