import { errorField } from '../../infra/logger.js';
import type { ChannelContext, ChannelModule, OpenedChannel } from '../registry.js';
import { WhatsAppCloudChannel } from './cloud/adapter.js';
import { WhatsAppCloudMediaFetcher } from './cloud/media.js';
import { WhatsAppCloudSender } from './cloud/outbound.js';
import { whatsappConfig, type WhatsAppCloudSettings, type WhatsAppConfig, type WhatsAppWebSettings } from './config.js';
import { WhatsAppWebChannel } from './web/adapter.js';
import type { WebClientFactory } from './web/client.js';
import { WhatsAppWebMediaFetcher } from './web/media.js';
import { WhatsAppWebSender } from './web/outbound.js';

/** Test seams: a fake whatsapp-web.js client instead of Chromium. */
export interface WhatsAppHooks {
  whatsappWebClient?: WebClientFactory;
}

/** Logs a channel problem by kind, with the error redacted; never a number or a text. */
function reporter(context: ChannelContext, transport: string) {
  return (error: unknown, what: string) => context.logger.warn({ err: errorField(error, context.redactor), what }, `whatsapp (${transport}): ${what}`);
}

function openCloud(settings: WhatsAppCloudSettings, context: ChannelContext): OpenedChannel {
  const deps = { redis: context.redis, keyPrefix: context.keyPrefix, advisorNotice: context.advisorNotice, onError: reporter(context, 'Cloud API') };
  const gateway = context.roles.gateway ? new WhatsAppCloudChannel(settings, { ...deps, sink: context.sink, outbox: context.outbox }) : undefined;
  const sender = gateway?.sender ?? new WhatsAppCloudSender(settings, deps);
  return {
    gateway,
    sender,
    media: new WhatsAppCloudMediaFetcher(settings, { timeoutMs: context.config.transcription?.timeoutMs }),
  };
}

function openWeb(settings: WhatsAppWebSettings, context: ChannelContext): OpenedChannel {
  const gateway = context.roles.gateway
    ? new WhatsAppWebChannel(settings, {
        sink: context.sink,
        redis: context.redis,
        connect: context.connect,
        keyPrefix: context.keyPrefix,
        logger: context.logger,
        onError: reporter(context, 'web'),
        clientFactory: context.hooks.whatsappWebClient,
      })
    : undefined;
  return {
    gateway,
    sender: gateway?.sender ?? new WhatsAppWebSender(settings, { redis: context.redis, connect: context.connect, keyPrefix: context.keyPrefix }),
    media: new WhatsAppWebMediaFetcher(context.redis, context.keyPrefix),
    link: gateway ? () => gateway.link() : undefined,
  };
}

/**
 * WhatsApp through the official Cloud API (production) or whatsapp-web.js (pilots): which one is
 * configuration only. Both speak as the channel "whatsapp" with the phone number as the user's id,
 * so a conversation carries over when a centre moves from one to the other.
 */
export const whatsappChannel: ChannelModule<WhatsAppConfig> = {
  name: 'whatsapp',
  settings: whatsappConfig,
  open: (settings, context) => (settings.transport === 'cloud' ? openCloud(settings.cloud, context) : openWeb(settings.web, context)),
};
