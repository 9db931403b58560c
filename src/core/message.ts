import type { SourceRef } from './answer.js';
import type { Language } from './knowledge.js';

/** Channels Lotse talks on; adapters add their own name. */
export type ChannelName = 'telegram' | 'whatsapp' | 'web' | 'cli' | (string & {});

export type MessageKind = 'text' | 'voice' | 'photo' | 'document' | 'sticker' | 'location' | 'other';

/** One message from a user, whatever the platform. */
export interface InboundMessage {
  /** `${channel}:${userId}:${platform message id}`: unique per platform message, the dedupe key; erasure finds a user's ids by its prefix. */
  id: string;
  channel: ChannelName;
  /** The user's address on the channel: chat id, phone number, web session. */
  userId: string;
  kind: MessageKind;
  /** The text, or '' for media without a caption. */
  text: string;
  /** A button press, e.g. "cmd:advisor" or "lang:fr". */
  action?: string;
  /** ISO time the platform received it. */
  receivedAt: string;
  /** The language the platform reports for the user (e.g. Telegram's language_code), a hint only. */
  localeHint?: string;
  /** A voice note or file the channel can fetch again by this reference (e.g. Telegram's file_id). */
  media?: { ref: string; mimeType?: string };
  /** The country (ISO 3166-1 alpha-2) of a location the user shared; the coordinates themselves are not kept. */
  sharedCountry?: string;
  /** The country of the user's phone number (its calling code), a hint only; never logged. */
  countryHint?: string;
  /** The text was longer than MAX_TEXT_LENGTH and was cut there (the user is told). */
  truncated?: boolean;
  /** Sent over the per-user flood limit: not read (no text kept); the user is told once a minute. */
  throttled?: boolean;
}

/** Longest text Lotse handles in one message; channels cut longer ones (and set `truncated`) instead of dropping them. */
export const MAX_TEXT_LENGTH = 4000;

/** Cuts a text to MAX_TEXT_LENGTH (on a code point boundary); says whether it did. */
export function cutText(text: string): { text: string; truncated: boolean } {
  if (text.length <= MAX_TEXT_LENGTH) return { text, truncated: false };
  const points = Array.from(text.slice(0, MAX_TEXT_LENGTH));
  // A surrogate pair split at the limit leaves a lone half: drop it.
  const last = points.at(-1)!;
  if (last.length === 1 && last.charCodeAt(0) >= 0xd800 && last.charCodeAt(0) <= 0xdbff) points.pop();
  return { text: points.join(''), truncated: true };
}

export interface ReplyButton {
  label: string;
  action: string;
}

/** One reply to a user, rendered by the channel it goes out on. */
export interface OutboundMessage {
  /** Inbound id + position: the same turn retried never produces a second, different reply id. */
  id: string;
  channel: ChannelName;
  userId: string;
  /**
   * The reply's body in a small Markdown subset (CommonMark: paragraphs, `-` and `1.` lists,
   * `**bold**`, `*emphasis*`, `[text](https://…)` links). Each channel renders it in its own syntax;
   * raw HTML is never passed through. The sources are not in the text: see `sources`.
   */
  text: string;
  language: Language;
  direction: 'ltr' | 'rtl';
  buttons?: ReplyButton[];
  /** The documents the reply quotes, rendered by the channel under the text, each linked to its page. */
  sources?: SourceRef[];
  /** The words the channel needs to show `sources`, in the reply's language ("Sources", "as of"). */
  sourceLabels?: SourceLabels;
  /** On a turn's first reply: when the message it answers was received (`receivedAt`), for the time-to-reply metric. */
  inboundReceivedAt?: string;
}

export interface SourceLabels {
  heading: string;
  asOf: string;
}

/** The key of a user's conversation: one per channel and user. */
export function conversationKey(channel: ChannelName, userId: string): string {
  return `${channel}:${userId}`;
}
