import type { Queue, Worker } from 'bullmq';
import type { Config } from '../config/config.js';
import type { ChannelSender } from '../core/channel.js';
import { Messages } from '../i18n/i18n.js';
import { I18nTranslator } from '../i18n/translator.js';
import { asRedis, type RedisConnection } from '../infra/redis.js';
import type { ConsoleExtension } from '../handoff/advisors/console/console-extensions.js';
import { BroadcastThrottle } from './broadcast-throttle.js';
import { startBroadcastWorker } from './broadcast-worker.js';
import { Broadcaster } from './broadcaster.js';
import { noticesConsole } from './console/notices-extension.js';
import { createNoticeQueue, type NoticeJob } from './notice-queue.js';
import { NoticeService } from './notice-service.js';
import { NoticeStore } from './notice-store.js';
import { noticeTransports } from './notice-transports-factory.js';
import { RedisNoticeSubscriptions } from './subscription-store.js';

/** Test seams and tuning; every one has a default. */
export interface NoticeOptions {
  /** How long before the event its reminder goes out (default NOTICE_REMINDER_MINUTES; tests shorten the hour). */
  reminderLeadMs?: number;
  /** Messages in flight at once per channel in a sending (default 8). */
  concurrency?: number;
  /** A sending's lock: after a crash another process takes over after this (default 30 s). */
  lockDurationMs?: number;
  /** Pause before a subscriber's attempt n + 1 after a platform error (default 1 s doubling). */
  backoffMs?: (attempt: number) => number;
}

export interface EventNoticesDeps {
  config: Config;
  /** Commands (subscriptions, notices, rates). */
  client: RedisConnection;
  /** The queue's producer connection. */
  producer: RedisConnection;
  keyPrefix: string;
  bullPrefix?: string;
  /** Problems worth a log line, never with an id or a text. */
  onError(error: unknown, what: string): void;
  options?: NoticeOptions;
}

/**
 * Event notices, wired: the subscriptions (the pipeline's port and an erasure participant), the
 * console page for programme staff, and, in sender processes, the worker that sends them.
 */
export class EventNotices {
  readonly subscriptions: RedisNoticeSubscriptions;
  readonly store: NoticeStore;
  readonly queue: Queue<NoticeJob>;
  readonly service: NoticeService;
  /** The console's page at /advisor/notices (staff and admins). */
  readonly console: ConsoleExtension;

  constructor(private readonly deps: EventNoticesDeps) {
    this.subscriptions = new RedisNoticeSubscriptions(deps.client, deps.keyPrefix);
    this.store = new NoticeStore(deps.client, deps.keyPrefix);
    this.queue = createNoticeQueue(deps.producer, deps.bullPrefix);
    this.service = new NoticeService(this.store, this.queue, { reminderLeadMs: deps.options?.reminderLeadMs ?? deps.config.env.NOTICE_REMINDER_MINUTES * 60_000 });
    this.console = noticesConsole(this.service);
  }

  /** The sending worker, for the channels this process sends on. */
  async startWorker(connection: RedisConnection, senders: ChannelSender[]): Promise<Worker<NoticeJob>> {
    const { config, client, keyPrefix, options, onError } = this.deps;
    const transports = await noticeTransports(config, senders, asRedis(client), keyPrefix);
    const broadcaster = new Broadcaster(this.store, this.subscriptions, transports, new BroadcastThrottle(client, keyPrefix), new I18nTranslator(Messages.create()), {
      concurrency: options?.concurrency,
      backoffMs: options?.backoffMs,
      onError,
    });
    return startBroadcastWorker(connection, broadcaster, this.store, { bullPrefix: this.deps.bullPrefix, lockDurationMs: options?.lockDurationMs, onError: (error) => onError(error, 'event notices') });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
