import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { ChannelSender } from '../../core/channel.js';
import { PermanentSendError, RateLimitedError } from '../../core/errors.js';
import type { OutboundMessage } from '../../core/message.js';
import { renderHtml, splitText } from './render.js';

/** Sends replies through the Bot API: HTML parse mode, long texts split, buttons as an inline keyboard. */
export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram';

  constructor(private readonly api: Api) {}

  async send(reply: OutboundMessage): Promise<void> {
    const parts = splitText(reply.text);
    // Two buttons a row: labels stay readable on a phone.
    const buttons: InlineKeyboardButton[] = (reply.buttons ?? []).map((button) => ({ text: button.label, callback_data: button.action.slice(0, 64) }));
    const keyboard: InlineKeyboardButton[][] | undefined = buttons.length
      ? Array.from({ length: Math.ceil(buttons.length / 2) }, (_, row) => buttons.slice(row * 2, row * 2 + 2))
      : undefined;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      await this.call(() =>
        this.api.sendMessage(reply.userId, renderHtml(part), {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(last && keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        }),
      );
    }
  }

  async typing(userId: string): Promise<void> {
    await this.api.sendChatAction(userId, 'typing');
  }

  /** Turns Bot API errors into the ones the outbound worker acts on. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GrammyError) {
        if (error.error_code === 429) throw new RateLimitedError(error.parameters.retry_after ?? 1);
        // 400 (bad request), 403 (blocked by the user): retrying cannot help.
        if (error.error_code === 400 || error.error_code === 403) throw new PermanentSendError(`Telegram ${error.method}: ${error.description}`, { cause: error });
      }
      if (error instanceof HttpError) throw new Error(`Telegram unreachable: ${error.message}`, { cause: error });
      throw error;
    }
  }
}
