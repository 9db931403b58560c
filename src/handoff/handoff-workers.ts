import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LaneQueue, WakeJob } from '../queue/lanes/lane-queue.js';
import { startLaneWorker } from '../queue/lanes/lane-worker.js';
import type { AdvisorTransport } from './handoff-api.js';
import type { HandoffService } from './handoff-service.js';
import type { AdvisorNotice, SlaJob } from './handoff-signals.js';

export const HANDOFF_QUEUES = { sla: 'handoff-sla', notices: 'advisor-notices' } as const;

/** Runs the SLA timers: reminds the pool and the supervisors, or gives an unclaimed case up honestly. */
export function startSlaWorker(connection: Redis, handoff: HandoffService, bullPrefix?: string, onError?: (error: unknown) => void): Worker<SlaJob> {
  const worker = new Worker<SlaJob>(HANDOFF_QUEUES.sla, (job) => handoff.slaDue(job.data.caseId, job.data.step), { connection, prefix: bullPrefix, concurrency: 4 });
  worker.on('error', (error) => onError?.(error));
  worker.on('failed', (_job, error) => onError?.(error));
  return worker;
}

/** Shows each case's events to the advisor transports (Slack), in order per case; a failed post is retried. */
export function startNoticeWorker(connection: Redis, client: Redis, notices: LaneQueue, handoff: HandoffService, transports: AdvisorTransport[], options: { bullPrefix?: string; onError?: (error: unknown) => void }): Worker<WakeJob> {
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
