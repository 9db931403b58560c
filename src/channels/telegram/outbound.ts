import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { ChannelSender, SendLimits } from '../../core/channel.js';
import { PermanentSendError, RateLimitedError, RetryableSendError } from '../../core/errors.js';
import type { OutboundMessage } from '../../core/message.js';
import { replyParts } from './render.js';

/**
 * Sends replies through the Bot API: HTML parse mode, long texts in parts (each sent and recorded
 * on its own by the outbound worker), buttons as an inline keyboard under the last part.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram';

  constructor(
    private readonly api: Api,
    readonly limits: SendLimits = { perSecond: 30, perChatIntervalMs: 1000 },
  ) {}

  partCount(reply: OutboundMessage): number {
    return replyParts(reply).length;
  }

  async send(reply: OutboundMessage, part: number): Promise<void> {
    const parts = replyParts(reply);
    const text = parts[part];
    if (text === undefined) return;
    const last = part === parts.length - 1;
    // Two buttons a row: labels stay readable on a phone.
    const buttons: InlineKeyboardButton[] = (reply.buttons ?? []).map((button) => ({ text: button.label, callback_data: button.action.slice(0, 64) }));
    const keyboard: InlineKeyboardButton[][] | undefined = buttons.length
      ? Array.from({ length: Math.ceil(buttons.length / 2) }, (_, row) => buttons.slice(row * 2, row * 2 + 2))
      : undefined;
    await this.call(() =>
      this.api.sendMessage(reply.userId, text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(last && keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      }),
    );
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
        if (error.error_code === 400 || error.error_code === 403) throw new PermanentSendError(`Telegram ${error.method}: ${error.description}`, { cause: error, kind: error.error_code === 403 ? 'blocked' : 'bad_request' });
        if (error.error_code === 401) throw new RetryableSendError(`Telegram ${error.method}: the bot token was refused; renew TELEGRAM_BOT_TOKEN`, 'token', { cause: error });
        if (error.error_code >= 500) throw new RetryableSendError(`Telegram ${error.method}: ${error.description}`, 'server', { cause: error });
      }
      if (error instanceof HttpError) throw new RetryableSendError(`Telegram unreachable: ${error.message}`, /abort|timed? ?out/i.test(String((error.error as Error | undefined)?.name ?? error.message)) ? 'timeout' : 'network', { cause: error });
      throw error;
    }
  }
}
