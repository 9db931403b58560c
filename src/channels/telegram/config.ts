import type { Config } from '../../config/config.js';

export interface TelegramConfig {
  token: string;
  mode: 'polling' | 'webhook';
  /** Checked on every webhook call (X-Telegram-Bot-Api-Secret-Token). */
  webhookSecret?: string;
  /** Bot API root (default https://api.telegram.org); a self-hosted Bot API server or a test server. */
  apiRoot?: string;
  /** Where Telegram should send updates in webhook mode: `${publicUrl}/telegram/webhook`. */
  publicUrl?: string;
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
  };
}
