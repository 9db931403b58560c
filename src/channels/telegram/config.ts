import type { Config } from '../../config/config.js';
import type { SendLimits } from '../../core/channel.js';

export interface TelegramConfig {
  token: string;
  mode: 'polling' | 'webhook';
  /** Checked on every webhook call (X-Telegram-Bot-Api-Secret-Token). */
  webhookSecret?: string;
  /** Bot API root (default https://api.telegram.org); a self-hosted Bot API server or a test server. */
  apiRoot?: string;
  /** Where Telegram should send updates in webhook mode: `${publicUrl}/telegram/webhook`. */
  publicUrl?: string;
  /** Sending limits: about 30 messages a second per bot, one a second per chat. */
  limits: SendLimits;
}

/** Telegram's settings, or undefined when TELEGRAM_BOT_TOKEN is not set (the channel stays off). */
export function telegramConfig(config: Pick<Config, 'env'>): TelegramConfig | undefined {
  const env = config.env;
  if (!env.TELEGRAM_BOT_TOKEN) return undefined;
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    mode: env.TELEGRAM_MODE ?? (env.PUBLIC_URL && env.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling'),
    webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
    apiRoot: env.TELEGRAM_API_ROOT,
    publicUrl: env.PUBLIC_URL,
    limits: { perSecond: env.TELEGRAM_RATE_LIMIT, perChatIntervalMs: Math.round(1000 / env.TELEGRAM_CHAT_RATE_LIMIT) },
  };
}
