import type { CaseObserver } from '../handoff/handoff-service.js';
import type { PoolDirectory } from '../handoff/pools.js';
import type { Metrics } from '../infra/metrics.js';
import { poolLabel } from './metric-labels.js';

const MINUTE = 60_000;

/**
 * Counts case events for the metrics, in whichever process records them: the wait until an
 * advisor claims a case (from its opening, as the expected wait told to users is reckoned), and
 * SLA breaches: an unclaimed case's first reminder (its pool's SLA has passed), and a case
 * cancelled past its pool's longest wait (given up by the SLA timer, or by the user after it).
 */
export function caseMetrics(metrics: Metrics, pools: PoolDirectory): CaseObserver {
  const poolIds = pools.pools.map((pool) => pool.id);
  return (c, event) => {
    const pool = poolLabel(poolIds, c.pool);
    const waited = Date.parse(event.at) - Date.parse(c.createdAt);
    if (event.type === 'claimed' && Number.isFinite(waited)) metrics.caseWait.observe({ pool }, Math.max(0, waited) / 1000);
    if (event.type === 'sla_reminder' && event.step === 1) metrics.slaBreaches.inc({ pool, kind: 'reminder' });
    if (event.type === 'cancelled' && pools.byId.has(c.pool) && waited >= pools.get(c.pool).maxWaitMinutes * MINUTE) metrics.slaBreaches.inc({ pool, kind: 'expired' });
  };
}
