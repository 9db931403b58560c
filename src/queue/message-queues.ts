import { Queue } from 'bullmq';
import type { InboundSink } from '../core/channel.js';
import { QueueUnavailableError } from '../core/errors.js';
import { conversationKey, type InboundMessage, type OutboundMessage } from '../core/message.js';
import type { RedisConnection } from '../infra/redis.js';
import type { TypingJob } from './job-types.js';
import { jobsMatching, LaneQueue } from './lanes/lane-queue.js';
import { bullQueueName, EVENTS_MAX_LENGTH, LANES, QUEUES } from './queue-names.js';

export interface MessageQueuesOptions {
  /** BullMQ key prefix (default "bull"); tests use their own. */
  bullPrefix?: string;
  /** Lotse's key prefix (default "lotse:"). */
  keyPrefix?: string;
  /** Messages per user and minute that are read; beyond, the user is told to slow down (default 20; 0: no limit). */
  userRateLimit?: number;
  /** Told of connection errors (default: ignored; accept() still throws QueueUnavailableError). */
  onError?: (error: Error) => void;
}

/** A conversation's messages and replies in the queues (export). */
export interface QueuedData {
  messagesNotHandledYet: unknown[];
  repliesNotSentYet: unknown[];
  /** Jobs that only name the conversation (a worker is woken for it): which queue, in which state, since when. */
  jobs: { queue: string; state: string; queuedAt: string }[];
}

/**
 * The producer side of the queues: inbound messages in one lane per conversation (handled in
 * order, one at a time, by any worker), replies in one lane per chat (sent in order, within the
 * platform's limits, by any sender), and best-effort "typing…" jobs.
 */
export class MessageQueues implements InboundSink {
  readonly inbound: LaneQueue;
  readonly outbound: LaneQueue;
  readonly typingQueue: Queue<TypingJob>;

  constructor(connection: RedisConnection, options: MessageQueuesOptions = {}) {
    const common = { keyPrefix: options.keyPrefix, bullPrefix: options.bullPrefix, onError: options.onError };
    this.inbound = new LaneQueue(connection, { ...common, kind: LANES.inbound, queueName: QUEUES.inbound, floodLimitPerMinute: options.userRateLimit ?? 20 });
    this.outbound = new LaneQueue(connection, { ...common, kind: LANES.outbound, queueName: QUEUES.outbound });
    this.typingQueue = new Queue<TypingJob>(bullQueueName(QUEUES.typing, connection), {
      connection,
      prefix: options.bullPrefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
      streams: { events: { maxLen: EVENTS_MAX_LENGTH } },
    });
    this.typingQueue.on('error', (error) => options.onError?.(error));
  }

  /**
   * Resolves once the message is in Redis; a redelivered message (same id) adds nothing. Over the
   * user's flood limit only a text-less marker is kept. Throws QueueUnavailableError when Redis is down.
   */
  async accept(message: InboundMessage): Promise<void> {
    const throttled: InboundMessage = { ...message, text: '', media: undefined, action: undefined, throttled: true };
    try {
      await this.inbound.push(conversationKey(message.channel, message.userId), message.id, JSON.stringify(message), JSON.stringify(throttled));
    } catch (cause) {
      throw new QueueUnavailableError({ cause });
    }
  }

  /** Queues a turn's replies in their chat's lane; a reply id already queued adds nothing, so a repeated turn sends nothing twice. */
  async deliver(replies: OutboundMessage[]): Promise<void> {
    for (const reply of replies) await this.outbound.push(conversationKey(reply.channel, reply.userId), reply.id, JSON.stringify(reply));
  }

  /** Asks the channel to show "typing…"; best effort, never retried, dropped when it comes too late (startTypingWorker). */
  async typing(channel: string, userId: string): Promise<void> {
    await this.typingQueue.add('typing', { typing: { channel, userId, at: Date.now() } });
  }

  /**
   * Erasure: the replies not sent yet and every delivery marker of the conversation, the inbound
   * duplicate markers, and the queue jobs that name it. Not the messages waiting to be handled: it
   * runs inside the turn of "delete", and what the user sends after it is still answered (see
   * eraseUnhandled).
   */
  async eraseConversation(key: string): Promise<void> {
    await this.outbound.erase(key);
    await this.inbound.eraseMarkers(key);
    for (const { job } of await this.typingJobsOf(key)) await job.remove().catch(() => undefined);
  }

  /** Erasure from outside a turn (an operator's): the messages not handled yet go too. */
  async eraseUnhandled(key: string): Promise<void> {
    await this.inbound.erase(key);
  }

  /** What the queues hold of a conversation: its messages not handled yet, its replies not sent yet, and the jobs that name it (export). */
  async exportConversation(key: string): Promise<QueuedData | undefined> {
    const parse = (raw: string): unknown => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    };
    const jobs = [
      ...(await this.inbound.jobsOf(key)).map(({ state, job }) => ({ queue: QUEUES.inbound, state, queuedAt: new Date(job.timestamp).toISOString() })),
      ...(await this.outbound.jobsOf(key)).map(({ state, job }) => ({ queue: QUEUES.outbound, state, queuedAt: new Date(job.timestamp).toISOString() })),
      ...(await this.typingJobsOf(key)).map(({ state, job }) => ({ queue: QUEUES.typing, state, queuedAt: new Date(job.timestamp).toISOString() })),
    ];
    const data: QueuedData = {
      messagesNotHandledYet: (await this.inbound.items(key)).map(parse),
      repliesNotSentYet: (await this.outbound.items(key)).map(parse),
      jobs,
    };
    return data.messagesNotHandledYet.length + data.repliesNotSentYet.length + jobs.length > 0 ? data : undefined;
  }

  private typingJobsOf(key: string) {
    return jobsMatching(this.typingQueue, (job) => job.data?.typing !== undefined && conversationKey(job.data.typing.channel, job.data.typing.userId) === key);
  }

  async close(): Promise<void> {
    await Promise.all([this.inbound.close(), this.outbound.close(), this.typingQueue.close()]);
  }
}
