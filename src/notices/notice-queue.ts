import { Queue, type JobsOptions } from 'bullmq';
import { bullQueueName, EVENTS_MAX_LENGTH } from '../queue/queue-names.js';
import type { RedisConnection } from '../infra/redis.js';
import type { BroadcastKind } from './notice-types.js';

/** The BullMQ queue of event notices' sendings (hash-tagged on a Redis Cluster, like every queue). Not the advisors' "advisor-notices". */
export const EVENT_NOTICE_QUEUE = 'event-notices';

/** One sending of one notice: its announcement, or its reminder (a delayed job). */
export interface NoticeJob {
  noticeId: string;
  kind: BroadcastKind;
}

/** The job's id: adding the same sending twice is one job (BullMQ ids may not contain ':'). */
export const noticeJobId = (noticeId: string, kind: BroadcastKind) => `${noticeId}-${kind}`;

/**
 * A sending that fails as a whole (Redis away) is tried again with growing pauses; its recipients'
 * states keep the next run from sending anyone the notice twice. Nothing is kept of a finished job.
 */
export const NOTICE_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400, count: 1_000 },
};

export function createNoticeQueue(connection: RedisConnection, bullPrefix?: string): Queue<NoticeJob> {
  const queue = new Queue<NoticeJob>(bullQueueName(EVENT_NOTICE_QUEUE, connection), {
    connection,
    prefix: bullPrefix,
    defaultJobOptions: NOTICE_JOB_OPTIONS,
    streams: { events: { maxLen: EVENTS_MAX_LENGTH } },
  });
  queue.on('error', () => undefined);
  return queue;
}
