import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ConsoleSessions } from '../../../src/handoff/advisors/console/sessions.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const prefix = `console-sessions-${randomUUID().slice(0, 8)}:`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

/** A clock the test moves by hand; the policy in seconds instead of hours. */
function clocked() {
  let now = 1_700_000_000_000;
  const sessions = new ConsoleSessions(redis, prefix, { idleMs: 8_000, absoluteMs: 24_000 }, () => now);
  return { sessions, advance: (ms: number) => (now += ms) };
}

describe('console sessions in Redis (shortened clock)', () => {
  it('keeps a hash of the id, never the id, with a CSRF token and an expiry', async () => {
    const { sessions } = clocked();
    const { id, session } = await sessions.create('amira');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).not.toBe(id);
    const keys = await scanKeys(redis, `${prefix}console:session:*`);
    expect(keys).toEqual([`${prefix}console:session:${createHash('sha256').update(id).digest('base64url')}`]);
    expect(keys.join()).not.toContain(id);
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(7_000);
    expect(ttl).toBeLessThanOrEqual(8_000);
    await expect(sessions.read(id)).resolves.toMatchObject({ account: 'amira', csrf: session.csrf });
    await sessions.end(id);
  });

  it('ends a session idle for the idle time, and deletes it', async () => {
    const { sessions, advance } = clocked();
    const { id } = await sessions.create('amira');
    advance(7_999);
    await expect(sessions.read(id)).resolves.toBeDefined();
    advance(1);
    await expect(sessions.read(id)).resolves.toBeUndefined();
    expect(await scanKeys(redis, `${prefix}console:session:*`)).toEqual([]);
  });

  it('renews the idle time on activity, up to the absolute end', async () => {
    const { sessions, advance } = clocked();
    const { id } = await sessions.create('amira');
    for (let i = 0; i < 3; i++) {
      advance(7_000);
      const session = await sessions.read(id);
      expect(session, `after ${(i + 1) * 7} s`).toBeDefined();
      await sessions.touch(id, session!);
    }
    advance(2_999); // 23.999 s after sign-in
    await expect(sessions.read(id)).resolves.toBeDefined();
    advance(1);
    await expect(sessions.read(id)).resolves.toBeUndefined();
  });

  it('does not bring back a session ended meanwhile when it is touched', async () => {
    const { sessions } = clocked();
    const { id } = await sessions.create('amira');
    const session = (await sessions.read(id))!;
    await sessions.end(id);
    await sessions.touch(id, session);
    await expect(sessions.read(id)).resolves.toBeUndefined();
    expect(await scanKeys(redis, `${prefix}console:session:*`)).toEqual([]);
  });

  it('ends every session of an account at once, and reads no malformed id', async () => {
    const { sessions } = clocked();
    const a = await sessions.create('jon');
    const b = await sessions.create('jon');
    const other = await sessions.create('amira');
    expect(await sessions.endAll('jon')).toBe(2);
    await expect(sessions.read(a.id)).resolves.toBeUndefined();
    await expect(sessions.read(b.id)).resolves.toBeUndefined();
    await expect(sessions.read(other.id)).resolves.toBeDefined();
    for (const bad of [undefined, '', 'x', `${other.id}x`, '*'.repeat(43)]) await expect(sessions.read(bad)).resolves.toBeUndefined();
    await sessions.end(other.id);
    await sessions.endAll('amira');
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  });
});
