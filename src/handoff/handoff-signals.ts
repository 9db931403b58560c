import type { Queue } from 'bullmq';
import type { Case, CaseEvent } from '../core/case.js';
import type { RedisConnection } from '../infra/redis.js';
import type { LaneQueue } from '../queue/lanes/lane-queue.js';
import type { HandoffSignals } from './handoff-service.js';

/** A case's SLA timer: which case, and which reminder is due. */
export interface SlaJob {
  caseId: string;
  step: number;
}

/** What the advisor-notice lanes carry: one event of one case. */
export interface AdvisorNotice {
  caseId: string;
  event: CaseEvent;
}

/**
 * Case events reach the advisors two ways: published on `<prefix>case-events` for live views (the
 * console), and queued in a lane per case for the transports (Slack), so that each case's events
 * are posted in order and none is lost. SLA timers are BullMQ delayed jobs, one per case and step.
 */
export class RedisHandoffSignals implements HandoffSignals {
  constructor(
    private readonly redis: RedisConnection,
    private readonly sla: Queue<SlaJob>,
    /** Lanes for the advisor transports; none when no transport is configured. */
    private readonly notices?: LaneQueue,
    private readonly prefix = 'lotse:',
  ) {}

  async announce(c: Case, eventId: string, event: CaseEvent): Promise<void> {
    await this.redis.publish(`${this.prefix}case-events`, JSON.stringify({ caseId: c.id, pool: c.pool, eventId, type: event.type }));
    if (this.notices) await this.notices.push(c.id, `${c.id}/${eventId}`, JSON.stringify({ caseId: c.id, event } satisfies AdvisorNotice));
  }

  async scheduleSla(c: Case, step: number, delayMs: number): Promise<void> {
    await this.sla.add('sla', { caseId: c.id, step }, { jobId: `sla-${c.id}-${step}-${Math.floor(Date.now() / 1000)}`, delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: { age: 7 * 86_400, count: 1_000 }, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } });
  }
}
