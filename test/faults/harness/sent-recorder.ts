import type { FakeTelegramServer, SentMessage } from '../../helpers/fake-telegram-server.js';

export interface SentEvent {
  chatId: string;
  text: string;
  /** performance.now() when the fake Bot API received the sendMessage call. */
  at: number;
  buttons: string[];
}

/** Records every sendMessage the fake Bot API receives (sendChatAction is not one), with its time, per chat. */
export class SentRecorder {
  readonly events: SentEvent[] = [];
  private readonly byChat = new Map<string, SentEvent[]>();

  constructor(telegram: FakeTelegramServer) {
    telegram.record = false;
    telegram.onSend = (message: SentMessage) => {
      const event: SentEvent = {
        chatId: String(message.chat_id),
        text: String(message.text ?? ''),
        at: performance.now(),
        buttons: (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data),
      };
      this.events.push(event);
      const list = this.byChat.get(event.chatId) ?? [];
      list.push(event);
      this.byChat.set(event.chatId, list);
    };
  }

  to(chatId: number | string): SentEvent[] {
    return this.byChat.get(String(chatId)) ?? [];
  }

  count(chatId: number | string): number {
    return this.to(chatId).length;
  }
}
