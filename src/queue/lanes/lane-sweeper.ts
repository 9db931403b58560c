import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../../infra/redis.js';
import { FAILED_WAKE_JOB_AGE_SECONDS, type LaneQueue } from './lane-queue.js';

export interface LaneSweeperOptions {
  /** How often one process looks (default 15 s). */
  everyMs?: number;
  /** A lane with items for longer than this, that nobody handled, is woken again (default 30 s). */
  staleMs?: number;
}

/**
 * The safety net for wake-ups lost between a push and its job (a crash, Redis going away in
 * between): every few seconds one process (a short Redis lock) wakes the lanes that have had items
 * for a while, and forgets the empty ones. It also removes wake-up jobs that failed more than a
 * week ago (they name their conversation): BullMQ trims them only when another job fails.
 */
export function startLaneSweeper(client: RedisConnection, lanes: LaneQueue, options: LaneSweeperOptions = {}): { stop(): void } {
  const everyMs = options.everyMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const lockKey = `${lanes.keyPrefix}sweeper:${lanes.kind}`;
  const token = randomUUID();
  const sweep = async () => {
    if ((await client.set(lockKey, token, 'PX', everyMs - 100, 'NX')) !== 'OK') return;
    const now = Date.now();
    const stale = await client.zrangebyscore(lanes.indexKey, '-inf', now - staleMs, 'LIMIT', 0, 500);
    for (const lane of stale) {
      if ((await lanes.length(lane)) === 0) {
        await client.zrem(lanes.indexKey, lane);
        continue;
      }
      await client.zadd(lanes.indexKey, 'XX', now, lane);
      await lanes.wake(lane, `s-${lanes.keys(lane).hash}-${Math.floor(now / everyMs)}`);
    }
    await lanes.queue.clean(FAILED_WAKE_JOB_AGE_SECONDS * 1000, 100, 'failed');
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep().catch(() => undefined).finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
