import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { resolveRedis } from '../../../src/infra/local-redis.js';

describe('resolveRedis', () => {
  it('uses REDIS_URL when it answers, and says how to fix it when it does not', async () => {
    const found = await resolveRedis(inject('redisUrl'), os.tmpdir());
    expect(found.source).toBe('REDIS_URL');
    await expect(resolveRedis('redis://127.0.0.1:1', os.tmpdir())).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('does not answer'),
      details: { hint: expect.stringContaining('correct REDIS_URL') },
    });
  });

  it('with nothing set and nothing local, starts a private redis-server under data/ with AOF, and stops it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-data-'));
    const found = await resolveRedis(undefined, dataDir, 'redis://127.0.0.1:1');
    expect(found.source).toBe('private');
    const client = new Redis(found.url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await client.set('k', 'v');
    client.disconnect();
    await found.stop();
    expect((await readdir(path.join(dataDir, 'redis'))).length).toBeGreaterThan(0);
    const gone = new Redis(found.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    gone.on('error', () => undefined);
    await expect(gone.connect()).rejects.toThrow();
    await rm(dataDir, { recursive: true, force: true });
  });
});
