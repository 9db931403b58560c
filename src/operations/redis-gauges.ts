import { Gauge, type Registry } from 'prom-client';
import type { Case } from '../core/case.js';
import type { Redactor } from '../core/ports.js';
import { errorField, type Logger } from '../infra/logger.js';
import type { RedisConnection } from '../infra/redis.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import type { OperatedQueue } from './lotse-queues.js';
import { poolLabel } from './metric-labels.js';

export interface RedisGaugeSources {
  queues: OperatedQueue[];
  /** The active (open and claimed) cases of the pools: HandoffService.list. */
  activeCases: (pools: string[]) => Promise<Case[]>;
  /** The pool ids of the pools file (a fixed set). */
  pools: string[];
  /** For the lanes' index (which lanes have items). */
  redis: RedisConnection;
  /** Told once when Redis cannot be read, and once when it can again. */
  logger?: Logger;
  redactor?: Redactor;
  /** How long one scrape waits for Redis (default 2 s): a scrape never hangs on it. */
  timeoutMs?: number;
  now?: () => number;
}

/** Lanes whose items are counted one by one at a scrape; beyond, only the lanes are counted. */
const COUNTED_LANES = 1_000;

/**
 * Gauges read from Redis when Prometheus scrapes (the gateway registers them; every gateway
 * reports the same numbers, so aggregate them with max, not sum): open and claimed cases and the
 * longest current wait per pool, each BullMQ queue's jobs by state, and the lanes' backlog. Each
 * part is read on its own, within `timeoutMs`; what cannot be read is left out of that scrape
 * (and `lotse_redis_gauges_up` is 0), so a Redis outage never fails the scrape itself.
 */
export function registerRedisGauges(registry: Registry, sources: RedisGaugeSources): void {
  const registers = [registry];
  const now = sources.now ?? Date.now;
  const timeoutMs = sources.timeoutMs ?? 2_000;
  const redactor = sources.redactor ?? new PiiRedactor();
  let reading: Promise<void> | undefined;
  // One read per scrape, however many gauges ask (prom-client collects them all at once).
  const collect = () => (reading ??= readAll().finally(() => setTimeout(() => (reading = undefined), 250).unref()));
  const up = new Gauge({ name: 'lotse_redis_gauges_up', help: '1 when the last scrape could read every gauge below from Redis, 0 when some were left out', registers, collect });
  const cases = new Gauge({ name: 'lotse_cases', help: 'Active cases per pool, open (waiting for an advisor) or claimed', labelNames: ['pool', 'status'] as const, registers, collect });
  const oldest = new Gauge({ name: 'lotse_case_oldest_wait_seconds', help: 'How long the longest-waiting open (unclaimed) case of each pool has waited; 0 when none waits', labelNames: ['pool'] as const, registers, collect });
  const jobs = new Gauge({ name: 'lotse_queue_jobs', help: 'Jobs of each BullMQ queue by state (waiting includes prioritized)', labelNames: ['queue', 'state'] as const, registers, collect });
  const lanes = new Gauge({ name: 'lotse_lane_backlog_lanes', help: 'Lanes (conversations, chats, cases) with items not yet handled, or handled in the last half minute', labelNames: ['lanes'] as const, registers, collect });
  const items = new Gauge({ name: 'lotse_lane_backlog_items', help: `Items waiting in the lanes (counted in the ${COUNTED_LANES} oldest lanes)`, labelNames: ['lanes'] as const, registers, collect });

  const readCases = async () => {
    const active = await sources.activeCases(sources.pools);
    cases.reset();
    oldest.reset();
    for (const pool of sources.pools) {
      const mine = active.filter((c) => c.pool === pool);
      const open = mine.filter((c) => c.status === 'open');
      cases.set({ pool, status: 'open' }, open.length);
      cases.set({ pool, status: 'claimed' }, mine.length - open.length);
      const waits = open.map((c) => now() - Date.parse(c.createdAt)).filter(Number.isFinite);
      oldest.set({ pool }, Math.max(0, ...waits) / 1000);
    }
    // A case of a pool no longer in the pools file still counts, as "other".
    const strays = active.filter((c) => poolLabel(sources.pools, c.pool) !== c.pool);
    if (strays.length > 0) cases.set({ pool: 'other', status: 'open' }, strays.filter((c) => c.status === 'open').length);
  };
  const readQueues = async () => {
    const counts = await Promise.all(sources.queues.map(({ queue }) => queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed')));
    jobs.reset();
    sources.queues.forEach(({ name }, i) => {
      const count = (state: string) => counts[i]![state] ?? 0;
      jobs.set({ queue: name, state: 'waiting' }, count('wait') + count('prioritized'));
      for (const state of ['active', 'delayed', 'failed']) jobs.set({ queue: name, state }, count(state));
    });
  };
  const readLanes = async () => {
    const families = sources.queues.filter((queue) => queue.lanes);
    const backlog = await Promise.all(
      families.map(async ({ lanes: family }) => {
        const [total, oldestLanes] = await Promise.all([sources.redis.zcard(family!.indexKey), sources.redis.zrange(family!.indexKey, 0, COUNTED_LANES - 1)]);
        const lengths = await Promise.all(oldestLanes.map((lane) => family!.length(lane)));
        return { total, items: lengths.reduce((sum, n) => sum + n, 0) };
      }),
    );
    lanes.reset();
    items.reset();
    families.forEach(({ name }, i) => {
      lanes.set({ lanes: name }, backlog[i]!.total);
      items.set({ lanes: name }, backlog[i]!.items);
    });
  };

  let failing = false;
  async function readAll(): Promise<void> {
    const parts: [() => Promise<void>, Gauge<string>[]][] = [
      [readCases, [cases, oldest]],
      [readQueues, [jobs]],
      [readLanes, [lanes, items]],
    ];
    const results = await Promise.allSettled(parts.map(([read]) => within(read(), timeoutMs)));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [{ error: result.reason as unknown, gauges: parts[i]![1] }] : []));
    for (const { gauges } of failed) for (const gauge of gauges) gauge.reset();
    up.set(failed.length === 0 ? 1 : 0);
    if (failed.length > 0 && !failing) sources.logger?.warn({ err: errorField(failed[0]!.error, redactor) }, 'metrics: could not read Redis; its gauges are left out until it answers');
    if (failed.length === 0 && failing) sources.logger?.info('metrics: Redis answers again; its gauges are back');
    failing = failed.length > 0;
  }
}

/** The promise, or a rejection after `ms` (the promise's own later outcome is ignored). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
