import { randomUUID } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { RedisConnection } from '../../infra/redis.js';
import { DeferError, PermanentItemError } from './lane-errors.js';
import { shortHash } from './lane-keys.js';
import type { LaneQueue, WakeJob } from './lane-queue.js';
import { LaneScripts } from './lane-scripts.js';

export interface LaneHandled {
  /** The lane waits this long before its next item (a per-chat send interval). */
  pauseMs?: number;
}

export interface LaneWorkerOptions {
  /** Items handled at once by this process, each of another lane (default 8). */
  concurrency?: number;
  /** The lane lease; renewed every third of it while the holder lives; a dead holder's lanes resume after it (default 8 s). */
  leaseMs?: number;
  /** Attempts of one item before it goes to the dead letters (default 5). */
  maxAttempts?: number;
  /** Wait before attempt n+1 (default 1 s doubling, at most 60 s). */
  backoffMs?: (attempt: number) => number;
  /** Items one wake-up handles before it makes room for other lanes (default 20). */
  maxItemsPerJob?: number;
  /** BullMQ key prefix (default "bull"). */
  bullPrefix?: string;
  /** A failed attempt that will be retried (the caller logs it without content). */
  onRetry?: (error: unknown, lane: string, attempt: number) => void;
  /** An item given up on: kept as a dead letter by the caller (redacted), and the user told where fitting. */
  onDead: (raw: string, error: unknown, lane: string) => Promise<void>;
  /** Errors outside a handler (Redis unreachable, a wake-up job that failed): the caller logs them, redacted. */
  onError?: (error: unknown) => void;
  /**
   * Keys of an item's own (its delivery markers), all under the lane's keys: deleted in the same
   * step that takes the item out of the lane, handled or given up on, so that they live only while
   * it is there.
   */
  itemKeys?: (raw: string, lane: string) => string[];
}

export type LaneHandler = (raw: string, lane: string) => Promise<LaneHandled | void>;

const defaultBackoff = (attempt: number) => Math.min(60_000, 1_000 * 2 ** (attempt - 1));

/**
 * Runs a family of lanes: a wake-up job takes the lane's lease (or, when another worker holds it,
 * leaves the lane to that holder and checks back when the lease would run out), then handles the
 * head item until the lane is empty. An item is removed only after its handler succeeded, so a
 * crash repeats it (handlers are idempotent) and nothing behind it can overtake it. A failing item
 * waits out its backoff with the lane released: other lanes go on, later items of its lane wait.
 */
export function startLaneWorker(connection: RedisConnection, client: RedisConnection, lanes: LaneQueue, handle: LaneHandler, options: LaneWorkerOptions): Worker<WakeJob> {
  const scripts = new LaneScripts(client);
  const leaseMs = options.leaseMs ?? 8_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoffMs ?? defaultBackoff;
  const maxItems = options.maxItemsPerJob ?? 20;
  const ownKeys = (raw: string, lane: string) => (raw && options.itemKeys ? options.itemKeys(raw, lane) : []);

  const process = async (job: Job<WakeJob>): Promise<string> => {
    const { lane } = job.data;
    const keys = lanes.keys(lane);
    const token = randomUUID();
    const [count, wait] = await scripts.run<[number, number, number]>('laneAcquire', [keys.lock, keys.meta, keys.items], [token, leaseMs, Date.now()]);
    if (count === -1) {
      // Another worker holds the lane and handles what is in it. Should it die, its lease runs
      // out: look again then (one check per lease, whatever the number of pushes).
      const at = Date.now() + Math.max(wait, 0) + 50;
      await lanes.wake(lane, `x-${keys.hash}-${Math.ceil(at / 1000)}`, at);
      return 'busy';
    }
    let lost = false;
    const renewal = setInterval(() => {
      scripts.run<number>('laneRenew', [keys.lock], [token, leaseMs]).then(
        (ours) => void (ours === 1 || (lost = true)),
        () => undefined,
      );
    }, Math.max(100, Math.floor(leaseMs / 3)));
    const release = async (force: boolean) => scripts.run<number>('laneRelease', [keys.lock, keys.items, keys.meta], [token, force ? '1' : '0', Date.now()]);
    try {
      if (count === 0) {
        await release(true);
        return 'empty';
      }
      let done = '';
      let pauseUntil = 0;
      for (let handled = 0; !lost; handled++) {
        const [readyAt, attempts, head] = await scripts.run<[number, number, string | null]>('laneNext', [keys.items, keys.meta, ...ownKeys(done, lane)], [done, pauseUntil]);
        done = '';
        pauseUntil = 0;
        if (head === null) {
          // An empty lane needs no wake-up at the end of a pause: the next push brings one.
          // Released only if still empty: a push that came in between keeps the lane with us.
          if ((await release(false)) !== 1) return 'done';
          continue;
        }
        if (readyAt > Date.now()) {
          await release(true);
          await lanes.wake(lane, `d-${keys.hash}-${readyAt}`, readyAt);
          return 'waiting';
        }
        if (handled >= maxItems) {
          await release(true);
          await lanes.wake(lane, `c-${keys.hash}-${Date.now()}-${shortHash(token, 6)}`);
          return 'yielded';
        }
        try {
          const outcome = await handle(head, lane);
          done = head;
          if (outcome?.pauseMs) pauseUntil = Date.now() + outcome.pauseMs;
        } catch (error) {
          if (error instanceof DeferError) {
            await client.hset(keys.meta, 'readyAt', Date.now() + error.ms);
            continue;
          }
          const attempt = attempts + 1;
          if (attempt >= maxAttempts || error instanceof PermanentItemError || error instanceof SyntaxError) {
            await options.onDead(head, error, lane);
            await scripts.run('lanePop', [keys.items, keys.meta, ...ownKeys(head, lane)], [head]);
            continue;
          }
          options.onRetry?.(error, lane, attempt);
          await client.hset(keys.meta, 'attempts', attempt, 'readyAt', Date.now() + backoff(attempt));
        }
      }
      // The lease was lost (Redis away longer than the lease): still remove what this holder finished.
      if (done) await scripts.run('laneNext', [keys.items, keys.meta, ...ownKeys(done, lane)], [done, pauseUntil]).catch(() => undefined);
      // Items may be left with nobody to wake for them: a new wake-up takes the lane, or finds its
      // new holder and leaves it be. Without it, only the sweeper would find the lane, up to a minute later.
      await lanes.wake(lane, `l-${keys.hash}-${Date.now()}-${shortHash(token, 6)}`);
      return 'lost the lease';
    } finally {
      clearInterval(renewal);
    }
  };

  const worker = new Worker<WakeJob>(lanes.queue.name, process, {
    connection,
    prefix: options.bullPrefix,
    concurrency: options.concurrency ?? 8,
    // A dead worker's wake-ups are found again within seconds; the lanes themselves wait out their lease.
    lockDuration: 8_000,
    stalledInterval: 4_000,
    maxStalledCount: 10,
  });
  // Connection errors are retried by ioredis; without a listener they would crash the process.
  worker.on('error', (error) => options.onError?.(error));
  worker.on('failed', (_job, error) => options.onError?.(error));
  return worker;
}

