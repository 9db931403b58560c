import { cutText, type InboundMessage, type MessageKind } from '../../core/message.js';
import { countryAt } from '../place-country.js';
import type { TelegramUpdate } from './update-schema.js';

/**
 * A checked Telegram update (see update-schema.ts) as Lotse's InboundMessage, or undefined for
 * updates Lotse does not handle (edits, joins, groups, ...). A text over MAX_TEXT_LENGTH is cut
 * and marked truncated: the person still gets an answer to what they wrote.
 */
export function toInboundMessage(update: TelegramUpdate): InboundMessage | undefined {
  const callback = update.callback_query;
  if (callback?.message && callback.data) {
    const chatId = String(callback.message.chat.id);
    return {
      id: `telegram:${chatId}:cb${callback.id}`,
      channel: 'telegram',
      userId: chatId,
      kind: 'text',
      text: '',
      action: callback.data,
      receivedAt: new Date().toISOString(),
      localeHint: callback.from.language_code,
    };
  }
  const message = update.message;
  // Lotse talks to people one to one; groups and channels are ignored.
  if (!message || message.chat.type !== 'private') return undefined;
  const kind: MessageKind = message.text !== undefined ? 'text'
    : message.voice || message.audio || message.video_note ? 'voice'
      : message.photo ? 'photo'
        : message.document ? 'document'
          : message.sticker ? 'sticker'
            : message.location ? 'location'
              : 'other';
  const chatId = String(message.chat.id);
  const { text, truncated } = cutText(message.text ?? message.caption ?? '');
  const audio = message.voice ?? message.audio;
  // The largest size of a photo; a document as sent. Advisors open them during a handoff.
  const file = audio ?? message.photo?.at(-1) ?? message.document;
  return {
    id: `telegram:${chatId}:${message.message_id}`,
    channel: 'telegram',
    userId: chatId,
    kind,
    text,
    ...(truncated ? { truncated } : {}),
    receivedAt: new Date(message.date * 1000).toISOString(),
    localeHint: message.from?.language_code,
    media: file ? { ref: file.file_id, mimeType: file.mime_type } : undefined,
    // Only the country of a shared location travels on; the coordinates stay here.
    ...(message.location ? { sharedCountry: countryAt(message.location.latitude, message.location.longitude) } : {}),
  };
}
