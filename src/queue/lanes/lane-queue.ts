import { Queue, type Job, type JobsOptions, type JobType } from 'bullmq';
import { deleteKeys, scanKeys, type RedisConnection } from '../../infra/redis.js';
import { bullQueueName, EVENTS_MAX_LENGTH } from '../queue-names.js';
import { LaneKeys, shortHash } from './lane-keys.js';
import { LaneScripts } from './lane-scripts.js';

/** A BullMQ job that only says "this lane may have work": the items themselves stay in the lane. */
export interface WakeJob {
  lane: string;
}

export interface LaneQueueOptions {
  /** The lane family: "in" (conversations) or "out" (chats to send to). */
  kind: string;
  /** The BullMQ queue that carries the wake-up jobs (hash-tagged on a Redis Cluster). */
  queueName: string;
  /** Lotse's key prefix (default "lotse:"). */
  keyPrefix?: string;
  /** BullMQ's key prefix (default "bull"). */
  bullPrefix?: string;
  /** How long a pushed item id is remembered, so that a redelivery adds nothing (default 7 days). */
  seenTtlSeconds?: number;
  /** How long an idle lane's items and state live (default 7 days). */
  laneTtlSeconds?: number;
  /** Pushes per lane and minute beyond which items are marked throttled (default 0: no limit). */
  floodLimitPerMinute?: number;
  /** Told of BullMQ connection errors. */
  onError?: (error: Error) => void;
}

export type PushResult = 'pushed' | 'duplicate' | 'throttled';

/** Failed wake-up jobs are kept this long (they say which lane, nothing else), at most 1,000 of them. */
export const FAILED_WAKE_JOB_AGE_SECONDS = 7 * 86_400;

/**
 * Wake-up jobs: nothing is kept once done (the lane holds the item, its `seen` set and the sent
 * markers keep it from repeating); failures only say which lane (no text) and go after a week, at
 * most 1,000 of them.
 */
const WAKE_JOB_OPTIONS: JobsOptions = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: { age: FAILED_WAKE_JOB_AGE_SECONDS, count: 1_000 },
};

/**
 * The producer side of a family of lanes: per-key FIFO lists in Redis, each handled in order and
 * one item at a time by whichever worker holds the lane's lease, while different lanes run side by
 * side on every worker. A BullMQ job per push wakes a worker; the lane, not the job, holds the item,
 * so a retried or duplicated job can never reorder or repeat anything.
 */
export class LaneQueue {
  readonly queue: Queue<WakeJob>;
  readonly kind: string;
  readonly keyPrefix: string;
  private readonly scripts: LaneScripts;
  private readonly seenTtl: number;
  private readonly laneTtl: number;
  private readonly floodLimit: number;

  constructor(
    private readonly redis: RedisConnection,
    options: LaneQueueOptions,
  ) {
    this.kind = options.kind;
    this.keyPrefix = options.keyPrefix ?? 'lotse:';
    this.seenTtl = options.seenTtlSeconds ?? 7 * 86_400;
    this.laneTtl = options.laneTtlSeconds ?? 7 * 86_400;
    this.floodLimit = options.floodLimitPerMinute ?? 0;
    this.scripts = new LaneScripts(redis);
    this.queue = new Queue<WakeJob>(bullQueueName(options.queueName, redis), {
      connection: redis,
      prefix: options.bullPrefix,
      defaultJobOptions: WAKE_JOB_OPTIONS,
      streams: { events: { maxLen: EVENTS_MAX_LENGTH } },
    });
    this.queue.on('error', (error) => options.onError?.(error));
  }

  keys(lane: string): LaneKeys {
    return new LaneKeys(this.keyPrefix, this.kind, lane);
  }

  /** The sorted set of lanes that got items (score: when), which the sweeper checks for lanes nobody woke. */
  get indexKey(): string {
    return `${this.keyPrefix}lanes:${this.kind}`;
  }

  /**
   * Appends an item to its lane once (a second push of the same id adds nothing) and wakes a worker.
   * Resolves only when both are in Redis; a repeated push repairs a wake-up lost to a crash.
   * Over the flood limit, `throttled` (without the text) is stored instead of `payload`.
   */
  async push(lane: string, itemId: string, payload: string, throttled = payload, now = Date.now()): Promise<PushResult> {
    const keys = this.keys(lane);
    const window = Math.floor(now / 60_000);
    const gone = (now % 60_000) / 60_000;
    const result = await this.scripts.run<number>(
      'lanePush',
      [keys.items, keys.meta, keys.seen, keys.legacySeen(itemId), keys.rate(window), keys.rate(window - 1)],
      [payload, this.seenTtl, lane, this.laneTtl, this.floodLimit, throttled, gone, shortHash(itemId, 24), now, itemId],
    );
    await this.redis.zadd(this.indexKey, 'NX', Date.now(), lane);
    await this.wake(lane, `p-${shortHash(itemId, 24)}`);
    return result === 0 ? 'duplicate' : result === 2 ? 'throttled' : 'pushed';
  }

  /** Adds a wake-up job for a lane, at a time if given. The same job id twice is one job. */
  async wake(lane: string, jobId: string, at?: number): Promise<void> {
    const delay = at === undefined ? 0 : Math.max(0, at - Date.now());
    await this.queue.add('wake', { lane }, { jobId, delay });
  }

  /**
   * Removes every key of a lane: its items, markers and state, and its wake-up jobs (erasure).
   * Found by SCAN, so that markers of items never seen by this process (and those written before
   * the `seen` sets) go too.
   */
  async erase(lane: string): Promise<void> {
    await deleteKeys(this.redis, await scanKeys(this.redis, this.keys(lane).pattern));
    await this.redis.zrem(this.indexKey, lane);
    await this.eraseJobs(lane);
  }

  /**
   * Removes a lane's markers (duplicate ids, flood counters) and the wake-up jobs that name it, but
   * not its items, lease, state or entry in the sweeper's index: the erasure runs inside the lane's
   * own turn, and messages sent after it are still answered (the turn's holder takes them, or, should
   * it lose the lane, the sweeper wakes it); the sweeper forgets the lane once it is empty.
   */
  async eraseMarkers(lane: string): Promise<void> {
    const keys = this.keys(lane);
    const keep = new Set([keys.items, keys.meta, keys.lock]);
    await deleteKeys(this.redis, (await scanKeys(this.redis, keys.pattern)).filter((key) => !keep.has(key)));
    await this.eraseJobs(lane);
  }

  /** Items waiting in a lane (tests, metrics). */
  async length(lane: string): Promise<number> {
    return this.redis.llen(this.keys(lane).items);
  }

  /** The items waiting in a lane, oldest first, as they were pushed (export). */
  async items(lane: string): Promise<string[]> {
    return this.redis.lrange(this.keys(lane).items, 0, -1);
  }

  /**
   * The wake-up jobs that name a lane, in every state but running and done (done ones are not kept):
   * they carry the lane's key, nothing else. Read page by page; erasure is rare, queues are short.
   */
  async jobsOf(lane: string): Promise<{ state: JobType; job: Job<WakeJob> }[]> {
    return jobsMatching(this.queue, (job) => job.data?.lane === lane);
  }

  /** Removes the lane's wake-up jobs (a running one finishes and is removed as it completes). */
  async eraseJobs(lane: string): Promise<void> {
    for (const { job } of await this.jobsOf(lane)) await job.remove().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** The states a job can be found in and removed from (not "active": its worker holds it). */
export const REMOVABLE_JOB_STATES: readonly JobType[] = ['waiting', 'prioritized', 'delayed', 'waiting-children', 'failed', 'completed'];
const PAGE = 500;

/** Jobs of a queue, in every removable state, that `matches` picks. */
export async function jobsMatching<T>(queue: Queue<T>, matches: (job: Job<T>) => boolean): Promise<{ state: JobType; job: Job<T> }[]> {
  const found: { state: JobType; job: Job<T> }[] = [];
  for (const state of REMOVABLE_JOB_STATES) {
    for (let start = 0; ; start += PAGE) {
      const page = (await queue.getJobs([state], start, start + PAGE - 1)) as (Job<T> | undefined)[];
      for (const job of page) if (job && matches(job)) found.push({ state, job });
      if (page.length < PAGE) break;
    }
  }
  return found;
}
