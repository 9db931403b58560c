import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LaneQueue } from '../../../src/queue/lanes/lane-queue.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
const id = randomUUID().slice(0, 8);
const keyPrefix = `test-flood-${id}:`;
const bullPrefix = `bq-flood-${id}`;
const lanes = new LaneQueue(redis, { kind: 'in', queueName: 'flood-window', keyPrefix, bullPrefix, floodLimitPerMinute: 10 });
afterAll(async () => {
  await lanes.close();
  await deleteKeys(redis, keyPrefix, bullPrefix);
  await redis.quit();
});

describe('the per-user flood limit', () => {
  it('holds over any 60 seconds, also across the turn of a clock minute', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const results: string[] = [];
    // Ten pushes in the last second of one minute, ten in the first second of the next.
    for (let n = 0; n < 10; n++) results.push(await lanes.push('u1', `a${n}`, `q${n}`, 'x', minute + 59_000 + n * 50));
    for (let n = 0; n < 10; n++) results.push(await lanes.push('u1', `b${n}`, `r${n}`, 'x', minute + 60_000 + n * 50));
    expect(results.slice(0, 10).every((r) => r === 'pushed')).toBe(true);
    expect(results.slice(10).filter((r) => r === 'pushed').length).toBeLessThanOrEqual(1);
    // Once the minute before has passed out of the last 60 seconds, messages are read again.
    expect(await lanes.push('u1', 'c0', 's0', 'x', minute + 120_000 + 59_000)).toBe('pushed');
  });
});
