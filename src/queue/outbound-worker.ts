import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import type { ChannelSender } from '../core/channel.js';
import { PermanentSendError, RateLimitedError } from '../core/errors.js';
import type { OutboundMessage } from '../core/message.js';
import { persist } from '../infra/persist-write.js';
import type { RedisConnection } from '../infra/redis.js';
import type { TypingJob } from './job-types.js';
import { DeferError, PermanentItemError, parseItem } from './lanes/lane-errors.js';
import type { WakeJob } from './lanes/lane-queue.js';
import { startLaneWorker } from './lanes/lane-worker.js';
import type { MessageQueues } from './message-queues.js';
import { bullQueueName, QUEUES } from './queue-names.js';
import type { SendThrottle } from './send-throttle.js';

export interface OutboundWorkerOptions {
  bullPrefix?: string;
  /** Chats served at once by this process (default 16). */
  concurrency?: number;
  leaseMs?: number;
  /** Attempts of one reply before it is given up on (default 8); 429s do not count. */
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
  throttle: SendThrottle;
  onRetry?: (error: unknown, chat: string, attempt: number) => void;
  /** Errors outside a send (Redis unreachable): the caller logs them. */
  onError?: (error: unknown) => void;
  /** A reply given up on (the caller logs it; no text). */
  onDead: (reply: OutboundMessage | undefined, error: unknown, chat: string) => Promise<void>;
  /** A part whose earlier attempt stopped while sending: not sent again (at most once). */
  onUncertain?: (reply: OutboundMessage, part: number) => void;
}

/**
 * The delivery markers of a reply's parts live while the reply is in its lane: they go in the step
 * that takes it out (lane-worker's `itemKeys`). The expiry is a backstop for a lane that is erased
 * or expires meanwhile.
 */
const MARKER_TTL_SECONDS = 86_400;

/** A part's mark while its platform call runs: "sending:<attempt token>" (a plain "sending" from before the tokens counts alike). */
const SENDING = 'sending';

/** KEYS markers; ARGV part, mark. Deletes the part's marker only if it is still this attempt's mark. */
const UNMARK = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

/**
 * Delivers replies, each chat's in order, through the sender of their channel. Each part of a reply
 * is marked "sending" before the platform call and "sent" after it, so a retry (after a 429, a 5xx,
 * a crash) resends no part that got through. The platform's limits hold across sender processes:
 * the overall rate by a shared throttle, the per-chat interval by pausing the chat's lane.
 */
export function startOutboundWorker(connection: RedisConnection, client: RedisConnection, queues: MessageQueues, senders: ChannelSender[], options: OutboundWorkerOptions): Worker<WakeJob> {
  const byChannel = new Map(senders.map((sender) => [sender.channel, sender]));
  return startLaneWorker(
    connection,
    client,
    queues.outbound,
    async (raw, chat) => {
      const reply = JSON.parse(raw) as OutboundMessage;
      const sender = byChannel.get(reply.channel);
      if (!sender) throw new PermanentItemError(`no sender for channel "${reply.channel}" in this process`);
      const markers = queues.outbound.keys(chat).parts(reply.id);
      const parts = Math.max(1, sender.partCount?.(reply) ?? 1);
      const interval = sender.limits?.perChatIntervalMs ?? 0;
      const states = await client.hgetall(markers);
      for (let part = 0; part < parts; part++) {
        const state = states[String(part)];
        if (state === 'sent') continue;
        if (state?.startsWith(SENDING)) {
          options.onUncertain?.(reply, part);
          continue;
        }
        if (sender.limits?.perSecond) await options.throttle.take(sender.channel, sender.limits.perSecond);
        // Each attempt marks the part with its own token, so that it can take back only its own mark.
        const mark = `${SENDING}:${randomUUID()}`;
        try {
          await client.multi().hset(markers, String(part), mark).expire(markers, MARKER_TTL_SECONDS).exec();
        } catch (error) {
          // The mark may have reached Redis with its answer lost (Redis restarted, the connection
          // dropped): nothing was sent, so it is taken back. Left as it is, the retry would count
          // the part as uncertain and never send it.
          await persist(() => client.eval(UNMARK, 1, markers, String(part), mark));
          throw error;
        }
        try {
          await sender.send(reply, part);
        } catch (error) {
          await persist(() => client.hdel(markers, String(part)));
          if (error instanceof RateLimitedError) throw new DeferError(error.retryAfterSeconds * 1000);
          if (error instanceof PermanentSendError) throw new PermanentItemError(error.message, { cause: error });
          throw error;
        }
        await persist(() => client.hset(markers, String(part), 'sent'));
        // The chat's own limit: the next part waits its turn with the lane released.
        if (interval > 0 && part < parts - 1) throw new DeferError(interval);
      }
      return { pauseMs: interval };
    },
    {
      bullPrefix: options.bullPrefix,
      concurrency: options.concurrency ?? 16,
      leaseMs: options.leaseMs,
      maxAttempts: options.maxAttempts ?? 8,
      backoffMs: options.backoffMs ?? ((attempt) => Math.min(60_000, 2_000 * 2 ** (attempt - 1))),
      onRetry: options.onRetry,
      onError: options.onError,
      onDead: (raw, error, chat) => options.onDead(parseItem<OutboundMessage>(raw), error, chat),
      itemKeys: (raw, chat) => {
        const id = parseItem<OutboundMessage>(raw)?.id;
        return typeof id === 'string' ? [queues.outbound.keys(chat).parts(id)] : [];
      },
    },
  );
}

/**
 * A "typing…" older than this is not shown: the answer it announced is likely out by then (and
 * Telegram would show it after the answer). The conversation worker asks again every few seconds
 * while a turn lasts.
 */
export const TYPING_STALE_MS = 3_000;

/** Shows "typing…" for the channels this process sends on; best effort, nothing kept. */
export function startTypingWorker(connection: RedisConnection, senders: ChannelSender[], bullPrefix?: string): Worker<TypingJob> {
  const byChannel = new Map(senders.map((sender) => [sender.channel, sender]));
  const worker = new Worker<TypingJob>(
    bullQueueName(QUEUES.typing, connection),
    async (job) => {
      const { channel, userId, at } = job.data.typing;
      if (at !== undefined && Date.now() - at > TYPING_STALE_MS) return;
      await byChannel.get(channel)?.typing?.(userId).catch(() => undefined);
    },
    { connection, prefix: bullPrefix, concurrency: 4 },
  );
  worker.on('error', () => undefined);
  return worker;
}
