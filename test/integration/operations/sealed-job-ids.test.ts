import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobIdSeal } from '../../../src/operations/sealed-job-ids.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

describe('sealed job ids', () => {
  const prefix = `seal-test-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  beforeAll(() => void (redis = new Redis(inject('redisUrl'))));
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('seals an id the same way every time and in every process, opens only its own seals, and fits a URL segment', async () => {
    const seal = await JobIdSeal.create(redis, prefix);
    const other = await JobIdSeal.create(redis, prefix);
    const id = `sla-${randomUUID()}-3-1796116187`;
    const sealed = seal.seal(id);
    expect(sealed).toMatch(/^j[\w-]+$/);
    expect(sealed.length).toBeLessThanOrEqual(100);
    expect(other.seal(id)).toBe(sealed);
    expect(other.open(sealed)).toBe(id);
    expect(seal.open(seal.seal('1'))).toBe('1');
    expect(seal.open(id)).toBeUndefined();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(seal.open(tampered)).toBeUndefined();
    const elsewhere = await JobIdSeal.create(redis, `${prefix}elsewhere:`);
    expect(elsewhere.open(sealed)).toBeUndefined();
  });
});
