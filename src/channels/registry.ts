import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { ChannelNotice } from '../core/case.js';
import type { ChannelSender, InboundSink } from '../core/channel.js';
import type { OutboundMessage } from '../core/message.js';
import type { ErasureParticipant, MediaFetcher } from '../core/ports.js';
import type { Logger } from '../infra/logger.js';
import type { PiiRedactor } from '../privacy/pii-redactor.js';
import type { GatewayChannel } from './gateway-channel.js';
import type { TelegramHooks } from './telegram/adapter.js';
import { telegramConfig } from './telegram/config.js';
import { telegramUserData } from './telegram/user-data.js';
import { webChatChannel } from './web/adapter.js';
import { webUserData } from './web/user-data.js';
import type { WhatsAppHooks } from './whatsapp/adapter.js';
import { whatsappConfig } from './whatsapp/config.js';
import { whatsappUserData } from './whatsapp/user-data.js';

/** Something a channel tells the advisors of a conversation's open case (WhatsApp's 24-hour window); the case's event type. */
export type { ChannelNotice };

/** What a channel is given when it opens: the process's roles, connections and the ways back into Lotse. */
export interface ChannelContext {
  config: Config;
  roles: { gateway: boolean; worker: boolean; sender: boolean };
  /** Takes a user's message into the inbound queue; resolves once it is safe in Redis (gateway). */
  sink: InboundSink;
  /** Puts replies on the outbound lanes (a reply that waited for the user to write again). */
  outbox: { deliver(replies: OutboundMessage[]): Promise<void> };
  /** The shared command connection. */
  redis: Redis;
  /** A connection of the channel's own (blocking commands, subscriptions); closed when Lotse stops. */
  connect(): Redis;
  keyPrefix: string;
  logger: Logger;
  redactor: PiiRedactor;
  /** Tells the advisors of the conversation's open case; does nothing when none is open. */
  advisorNotice(conversationKey: string, notice: ChannelNotice): Promise<void>;
  /** Test seams: a platform's answers given instead of fetched, a fake client. */
  hooks: ChannelHooks;
}

export type ChannelHooks = TelegramHooks & WhatsAppHooks;

/** A WhatsApp number linked through whatsapp-web.js, as the advisor console's admin page shows it. */
export interface LinkStatus {
  state: 'starting' | 'qr' | 'ready' | 'standby' | 'disconnected';
  /** The linking code to scan while `state` is `qr`. */
  qr?: string;
  /** When the state last changed (ISO). */
  since: string;
}

/** A channel opened in this process: the parts its roles need. */
export interface OpenedChannel {
  /** The gateway side (webhooks, polling, pages), when this process runs the gateway. */
  gateway?: GatewayChannel;
  /** Delivers replies, when this process sends. */
  sender?: ChannelSender;
  /** Fetches a message's media again (voice notes for transcription, files for advisors). */
  media?: MediaFetcher;
  /** A linked number's state, for the advisor console's admin page. */
  link?: () => LinkStatus;
  /** Stops what the channel runs besides its gateway (sender-side loops). */
  stop?(): Promise<void>;
}

/** One channel: its settings from the config (undefined: off), and how it opens. */
export interface ChannelModule<S = unknown> {
  readonly name: string;
  settings(config: Config): S | undefined;
  open(settings: S, context: ChannelContext): OpenedChannel | Promise<OpenedChannel>;
}

/**
 * What a channel keeps of its users, apart from opening it: `npm run export` and erasure need it
 * without starting the channel, and whether or not it is configured now (data kept while it was on
 * is still erased and shown).
 */
export interface ChannelUserData {
  /** The user's id as an operator types it, in the form Lotse keeps it; undefined when it cannot be one. */
  parseUserId(text: string): string | undefined;
  /** How the id looks, for a usage message. */
  readonly userIdForm: string;
  /** What the channel keeps of a user outside the conversation record and the queues: erased with it, shown by an export. */
  participants(store: { redis: Redis; keyPrefix: string }): ErasureParticipant[];
}

/** A channel in the list: its settings read and, when present, opened; the settings' type stays inside. */
interface RegisteredChannel {
  readonly name: string;
  readonly userData: ChannelUserData;
  open(context: ChannelContext): Promise<OpenedChannel | undefined>;
}

/**
 * A channel: its settings read and, when present, its module loaded and opened. Modules with a
 * platform's SDK (grammy; the WhatsApp transports) are imported only then, so a process without
 * Telegram or WhatsApp does not load them at start.
 */
function registerLazy<S>(name: string, settings: (config: Config) => S | undefined, load: () => Promise<ChannelModule<S>>, userData: ChannelUserData): RegisteredChannel {
  return {
    name,
    userData,
    async open(context) {
      const present = settings(context.config);
      return present === undefined ? undefined : await (await load()).open(present, context);
    },
  };
}

/** Every channel Lotse has. Adding one touches its folder and this list. */
export const CHANNELS: readonly RegisteredChannel[] = [
  registerLazy(webChatChannel.name, webChatChannel.settings, async () => webChatChannel, webUserData),
  registerLazy('telegram', telegramConfig, async () => (await import('./telegram/adapter.js')).telegramChannel, telegramUserData),
  registerLazy('whatsapp', whatsappConfig, async () => (await import('./whatsapp/adapter.js')).whatsappChannel, whatsappUserData),
];

/** What every channel keeps of a user outside the conversation record, configured now or not (erasure, export). */
export function channelParticipants(store: { redis: Redis; keyPrefix: string }): ErasureParticipant[] {
  return CHANNELS.flatMap((channel) => channel.userData.participants(store));
}

/** Opens each configured channel for this process's roles. */
export async function openChannels(context: ChannelContext): Promise<{ name: string; opened: OpenedChannel }[]> {
  const opened: { name: string; opened: OpenedChannel }[] = [];
  for (const channel of CHANNELS) {
    const parts = await channel.open(context);
    if (parts) opened.push({ name: channel.name, opened: parts });
  }
  return opened;
}
