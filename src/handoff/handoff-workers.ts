import { Queue, Worker } from 'bullmq';
import type { RedisConnection } from '../infra/redis.js';
import type { LaneQueue, WakeJob } from '../queue/lanes/lane-queue.js';
import { bullQueueName, EVENTS_MAX_LENGTH } from '../queue/queue-names.js';
import { startLaneWorker } from '../queue/lanes/lane-worker.js';
import type { AdvisorTransport } from './handoff-api.js';
import type { HandoffService } from './handoff-service.js';
import type { AdvisorNotice, SlaJob } from './handoff-signals.js';

export const HANDOFF_QUEUES = { sla: 'handoff-sla', notices: 'advisor-notices' } as const;

/** The SLA timers' queue (its name hash-tagged on a Redis Cluster, like every queue's). */
export function createSlaQueue(connection: RedisConnection, bullPrefix?: string): Queue<SlaJob> {
  return new Queue<SlaJob>(bullQueueName(HANDOFF_QUEUES.sla, connection), { connection, prefix: bullPrefix, streams: { events: { maxLen: EVENTS_MAX_LENGTH } } });
}

/** Runs the SLA timers: reminds the pool and the supervisors, or gives an unclaimed case up honestly. */
export function startSlaWorker(connection: RedisConnection, handoff: HandoffService, bullPrefix?: string, onError?: (error: unknown) => void): Worker<SlaJob> {
  const worker = new Worker<SlaJob>(bullQueueName(HANDOFF_QUEUES.sla, connection), (job) => handoff.slaDue(job.data.caseId, job.data.step), { connection, prefix: bullPrefix, concurrency: 4 });
  worker.on('error', (error) => onError?.(error));
  worker.on('failed', (_job, error) => onError?.(error));
  return worker;
}

/** Shows each case's events to the advisor transports (Slack), in order per case; a failed post is retried. */
export function startNoticeWorker(connection: RedisConnection, client: RedisConnection, notices: LaneQueue, handoff: HandoffService, transports: AdvisorTransport[], options: { bullPrefix?: string; onError?: (error: unknown) => void }): Worker<WakeJob> {
  return startLaneWorker(
    connection,
    client,
    notices,
    async (raw) => {
      const notice = JSON.parse(raw) as AdvisorNotice;
      const c = await handoff.get(notice.caseId);
      if (!c) return; // erased meanwhile: nothing to show
      for (const transport of transports) await transport.notify(c, notice.event);
    },
    {
      bullPrefix: options.bullPrefix,
      concurrency: 8,
      maxAttempts: 8,
      onRetry: options.onError,
      onError: options.onError,
      onDead: async (_raw, error) => options.onError?.(error),
    },
  );
}
