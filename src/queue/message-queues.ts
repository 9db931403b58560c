import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundSink } from '../core/channel.js';
import { QueueUnavailableError } from '../core/errors.js';
import { conversationKey, type InboundMessage, type OutboundMessage } from '../core/message.js';
import { INBOUND_JOB_OPTIONS, OUTBOUND_JOB_OPTIONS } from './default-options.js';
import type { InboundJob, OutboundJob, TypingJob } from './job-types.js';
import { DEFAULT_PARTITIONS, QUEUES, jobIdFor, partitionOf } from './queue-names.js';

export interface MessageQueuesOptions {
  /** BullMQ key prefix (default "bull"); tests use their own. */
  prefix?: string;
  partitions?: number;
  /** Told of connection errors (default: ignored; accept() still throws QueueUnavailableError). */
  onError?: (error: Error) => void;
}

/** The producer side of the queues: inbound messages (partitioned by conversation) and outbound replies. */
export class MessageQueues implements InboundSink {
  readonly inbound: Queue<InboundJob>[];
  readonly outbound: Queue<OutboundJob | TypingJob>;
  readonly partitions: number;

  constructor(connection: Redis, options: MessageQueuesOptions = {}) {
    this.partitions = options.partitions ?? DEFAULT_PARTITIONS;
    const common = { connection, prefix: options.prefix };
    this.inbound = Array.from({ length: this.partitions }, (_, i) => new Queue<InboundJob>(QUEUES.inbound(i), { ...common, defaultJobOptions: INBOUND_JOB_OPTIONS }));
    this.outbound = new Queue<OutboundJob | TypingJob>(QUEUES.outbound, { ...common, defaultJobOptions: OUTBOUND_JOB_OPTIONS });
    // Without a listener BullMQ prints every reconnection failure; the caller decides what to log.
    for (const queue of [...this.inbound, this.outbound] as Queue[]) queue.on('error', (error) => options.onError?.(error));
  }

  /** Each partition handles one job at a time across all workers: one conversation's messages stay in order. */
  async init(): Promise<void> {
    await Promise.all(this.inbound.map((queue) => queue.setGlobalConcurrency(1)));
  }

  /** Resolves once the message is in Redis; a redelivered message (same id) is a no-op. Throws QueueUnavailableError when Redis is down. */
  async accept(message: InboundMessage): Promise<void> {
    const queue = this.inbound[partitionOf(conversationKey(message.channel, message.userId), this.partitions)]!;
    try {
      await queue.add('message', { message }, { jobId: jobIdFor(message.id) });
    } catch (cause) {
      throw new QueueUnavailableError({ cause });
    }
  }

  /** Queues replies for their channel's sender; the job id is the reply id, so a repeated turn adds nothing. */
  async deliver(replies: OutboundMessage[]): Promise<void> {
    await this.outbound.addBulk(replies.map((reply) => ({ name: 'reply', data: { reply }, opts: { jobId: jobIdFor(reply.id) } })));
  }

  /** Asks the channel to show "typing…"; best effort, never retried. */
  async typing(channel: string, userId: string): Promise<void> {
    await this.outbound.add('typing', { typing: { channel, userId } }, { attempts: 1, removeOnComplete: true, removeOnFail: true });
  }

  /** Removes waiting jobs of a conversation (erasure). */
  async eraseConversation(key: string): Promise<void> {
    const belongs = (job: { data: InboundJob | OutboundJob | TypingJob } | undefined) => {
      const data = job?.data as Partial<InboundJob & OutboundJob & TypingJob> | undefined;
      const item = data?.message ?? data?.reply ?? data?.typing;
      return item !== undefined && conversationKey(item.channel, item.userId) === key;
    };
    const queue = this.inbound[partitionOf(key, this.partitions)]!;
    for (const q of [queue, this.outbound] as Queue[]) {
      const jobs = await q.getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'failed']);
      await Promise.all(jobs.filter((job) => belongs(job)).map((job) => job.remove().catch(() => undefined)));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.inbound, this.outbound].map((queue) => queue.close()));
  }
}
