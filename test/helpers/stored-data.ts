import { Queue, type JobType } from 'bullmq';
import { inject } from 'vitest';
import { createRedis } from '../../src/infra/redis.js';
import { scanKeys } from './redis-keys.js';

const redisUrl = () => inject('redisUrl');

/** One stored key: its name, its TTL in ms (-1: none), and everything in it as text. */
export interface StoredKey {
  key: string;
  pttl: number;
  text: string;
}

/** Every key under the prefixes, whatever its type, with its TTL and all it holds as text (binary values as latin1, so bytes still match). */
export async function storedKeys(prefixes: string[]): Promise<StoredKey[]> {
  const redis = createRedis(redisUrl(), 'client');
  const found: StoredKey[] = [];
  try {
    for (const prefix of prefixes) {
      for (const key of await scanKeys(redis, `${prefix}*`)) {
        const [type, pttl] = await Promise.all([redis.type(key), redis.pttl(key)]);
        const parts: string[] = [];
        if (type === 'string') parts.push(((await redis.getBuffer(key)) ?? Buffer.alloc(0)).toString('latin1'));
        else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
        else if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
        else if (type === 'set') parts.push(...(await redis.smembers(key)));
        else if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        else if (type === 'none') continue; // expired between SCAN and TYPE
        else parts.push(`<${type}>`);
        found.push({ key, pttl, text: parts.join('\n') });
      }
    }
  } finally {
    redis.disconnect();
  }
  return found;
}

/** Every value stored under the prefixes, with the key names, as one text to search. */
export async function everything(prefixes: string[]): Promise<string> {
  return (await storedKeys(prefixes)).flatMap(({ key, text }) => [key, text]).join('\n');
}

/** Every BullMQ job state, so that a scan misses none. */
const ALL_STATES: JobType[] = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed', 'repeat'];

/**
 * Every job of every BullMQ queue under a prefix, in every state, as one text (id, name, data,
 * options, failure, return value): the queues are found from their keys, so a queue someone adds is
 * scanned too.
 */
export async function everyJob(bullPrefix: string): Promise<string> {
  const redis = createRedis(redisUrl(), 'client');
  const parts: string[] = [];
  try {
    const names = new Set((await scanKeys(redis, `${bullPrefix}:*`)).map((key) => key.slice(bullPrefix.length + 1).split(':')[0]!));
    for (const name of names) {
      const queue = new Queue(name, { connection: redis, prefix: bullPrefix, skipMetasUpdate: true });
      try {
        for (const job of await queue.getJobs(ALL_STATES, 0, -1)) if (job) parts.push(`${name} ${JSON.stringify(job.asJSON())}`);
        parts.push(JSON.stringify(await queue.getJobCounts(...ALL_STATES)));
      } finally {
        await queue.close();
      }
    }
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

/** The needles found in a text (none: the text holds nothing of them). */
export function found(text: string, needles: string[]): string[] {
  return needles.filter((needle) => text.includes(needle));
}
