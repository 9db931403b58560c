import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { ChannelSender } from '../core/channel.js';
import { whatsappConfig } from '../channels/whatsapp/config.js';
import { SenderNoticeTransport, type NoticeTransport } from './notice-transports.js';

/** Notices a second when NOTICE_TELEGRAM_RATE_LIMIT / NOTICE_WHATSAPP_RATE_LIMIT are unset (each at most the platform's limit). */
export const DEFAULT_NOTICE_RATES = { telegram: 25, whatsapp: 40 } as const;

/**
 * The transports for event notices in this process, from its channels' senders: Telegram and
 * whatsapp-web.js send through their own senders; the WhatsApp Cloud API through a transport of
 * its own that knows the 24-hour window and the notice template (loaded only when configured).
 * Each keeps to the notices' rate and to the platform's, which it shares with the replies.
 */
export async function noticeTransports(config: Config, senders: ChannelSender[], redis: Redis, keyPrefix: string): Promise<NoticeTransport[]> {
  const env = config.env;
  const transports: NoticeTransport[] = [];
  const telegram = senders.find((sender) => sender.channel === 'telegram');
  if (telegram) {
    const platform = telegram.limits?.perSecond ?? env.TELEGRAM_RATE_LIMIT;
    transports.push(new SenderNoticeTransport(telegram, { platformPerSecond: platform, noticesPerSecond: Math.min(env.NOTICE_TELEGRAM_RATE_LIMIT ?? DEFAULT_NOTICE_RATES.telegram, platform) }));
  }
  const whatsapp = whatsappConfig(config);
  const sender = senders.find((candidate) => candidate.channel === 'whatsapp');
  if (whatsapp && sender) {
    const platform = sender.limits?.perSecond ?? (whatsapp.transport === 'cloud' ? env.WHATSAPP_CLOUD_RATE_LIMIT : 5);
    const rates = { platformPerSecond: platform, noticesPerSecond: Math.min(env.NOTICE_WHATSAPP_RATE_LIMIT ?? DEFAULT_NOTICE_RATES.whatsapp, platform) };
    if (whatsapp.transport === 'web') transports.push(new SenderNoticeTransport(sender, rates));
    else {
      const { WhatsAppCloudNoticeTransport } = await import('./whatsapp-cloud-transport.js');
      const approved = (name: string | undefined) => (name ? { name, languages: env.WHATSAPP_CLOUD_NOTICE_TEMPLATE_LANGUAGES } : undefined);
      transports.push(new WhatsAppCloudNoticeTransport(whatsapp.cloud, redis, keyPrefix, rates, { notice: approved(env.WHATSAPP_CLOUD_NOTICE_TEMPLATE_NAME), cancellation: approved(env.WHATSAPP_CLOUD_CANCEL_TEMPLATE_NAME) }));
    }
  }
  return transports;
}
