import type { Update } from 'grammy/types';
import type { InboundMessage, MessageKind } from '../../core/message.js';

/** A Telegram update as Lotse's InboundMessage, or undefined for updates Lotse does not handle (edits, joins, ...). */
export function toInboundMessage(update: Update): InboundMessage | undefined {
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
  return {
    id: `telegram:${chatId}:${message.message_id}`,
    channel: 'telegram',
    userId: chatId,
    kind,
    text: message.text ?? message.caption ?? '',
    receivedAt: new Date(message.date * 1000).toISOString(),
    localeHint: message.from?.language_code,
    media: message.voice ? { ref: message.voice.file_id, mimeType: message.voice.mime_type } : message.audio ? { ref: message.audio.file_id, mimeType: message.audio.mime_type } : undefined,
  };
}
