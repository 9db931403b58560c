import { DelayedError, Worker } from 'bullmq';
import type { RedisConnection } from '../infra/redis.js';
import { bullQueueName } from '../queue/queue-names.js';
import type { Broadcaster } from './broadcaster.js';
import { EVENT_NOTICE_QUEUE, NOTICE_JOB_OPTIONS, type NoticeJob } from './notice-queue.js';
import type { NoticeStore } from './notice-store.js';

export interface BroadcastWorkerOptions {
  bullPrefix?: string;
  /** Notices sent at once by this process (default 2); each sends on every channel at once. */
  concurrency?: number;
  /** How long a sending's lock lives without renewal: after a crash, another process (or the restarted one) takes the sending over after this (default 30 s). */
  lockDurationMs?: number;
  /** Errors outside a sending (Redis unreachable): the caller logs them. */
  onError?: (error: unknown) => void;
}

/**
 * Runs the sendings of event notices (sender processes). A sending interrupted because the process
 * stops goes back to the queue at once, for the next process to go on with; one whose process died
 * is found by BullMQ's stalled check after the lock runs out and runs again. Either way the
 * recipients' states in Redis keep anyone from getting it twice. A sending that fails as a whole
 * is retried with growing pauses, and marked failed after the last attempt.
 */
export function startBroadcastWorker(connection: RedisConnection, broadcaster: Broadcaster, store: NoticeStore, options: BroadcastWorkerOptions = {}): Worker<NoticeJob> {
  let closing = false;
  const worker = new Worker<NoticeJob>(
    bullQueueName(EVENT_NOTICE_QUEUE, connection),
    async (job, token) => {
      const outcome = await broadcaster.run(job.data.noticeId, job.data.kind, () => closing);
      if (outcome === 'interrupted' && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      return outcome;
    },
    {
      connection,
      prefix: options.bullPrefix,
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: Math.max(1_000, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
      // A sending of many thousands may be interrupted by several restarts: it goes on each time.
      maxStalledCount: 20,
    },
  );
  worker.on('closing', () => void (closing = true));
  worker.on('error', (error) => options.onError?.(error));
  worker.on('failed', (job, error) => {
    options.onError?.(error);
    if (job && job.attemptsMade >= (job.opts.attempts ?? NOTICE_JOB_OPTIONS.attempts ?? 1)) {
      store.finish(job.data.noticeId, job.data.kind, 'failed', new Date()).catch((cause: unknown) => options.onError?.(cause));
    }
  });
  return worker;
}
