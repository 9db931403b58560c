import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { WhatsAppWebSettings } from '../../../src/channels/whatsapp/config.js';
import { ClientLock } from '../../../src/channels/whatsapp/web/client-lock.js';
import { createWebClient } from '../../../src/channels/whatsapp/web/client.js';
import { RedisSessionStore } from '../../../src/channels/whatsapp/web/session-store.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const redisUrl = inject('redisUrl');
let redis: Redis;
let dir: string;
const prefixes: string[] = [];
const locks: ClientLock[] = [];

beforeAll(async () => {
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-wa-web-'));
});
afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.release();
  for (const prefix of prefixes.splice(0)) await deleteKeys(redis, prefix);
});
afterAll(async () => {
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function newPrefix(): string {
  const prefix = `test:wa-web-session:${randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return prefix;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the RemoteAuth session store on Redis', () => {
  it('saves the zip RemoteAuth wrote to <dataPath>/<session>.zip, extracts it elsewhere, and deletes it', async () => {
    const prefix = newPrefix();
    const store = new RedisSessionStore(redis, prefix, dir);
    const session = 'RemoteAuth-lotse';
    expect(await store.sessionExists({ session })).toBe(false);
    const zip = randomBytes(256 * 1024);
    await writeFile(path.join(dir, `${session}.zip`), zip);
    await store.save({ session });
    expect(await store.sessionExists({ session })).toBe(true);
    expect(await redis.exists(`${prefix}wa:web:session:${session}`)).toBe(1);
    const target = path.join(dir, 'restored.zip');
    await store.extract({ session, path: target });
    expect((await readFile(target)).equals(zip)).toBe(true);
    await store.delete({ session });
    expect(await store.sessionExists({ session })).toBe(false);
    await expect(store.extract({ session, path: target })).rejects.toThrow(/no longer in Redis; link the number again/);
  });

  it('refuses a session name that could leave its key or folder', async () => {
    const store = new RedisSessionStore(redis, newPrefix(), dir);
    await expect(store.save({ session: '../etc/passwd' })).rejects.toThrow('not a RemoteAuth session name');
    await expect(store.sessionExists({ session: 'a*' })).rejects.toThrow('not a RemoteAuth session name');
  });
});

describe('the client lock', () => {
  function lock(key: string, options: ConstructorParameters<typeof ClientLock>[2] = {}): ClientLock {
    const made = new ClientLock(redis, key, { ttlMs: 300, ...options });
    locks.push(made);
    return made;
  }

  it('is held by one instance at a time, renewed past its ttl, and free for the next once released', async () => {
    const key = `${newPrefix()}wa:web:lock`;
    const a = lock(key);
    const b = lock(key);
    expect(await a.acquire()).toBe(true);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await sleep(900);
    expect(a.held).toBe(true);
    expect(await b.acquire()).toBe(false);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await a.release();
    expect(a.held).toBe(false);
    expect(await b.acquire()).toBe(true);
  });

  it('tells its holder when a renewal finds the lock taken by another, and never deletes the other one', async () => {
    const key = `${newPrefix()}wa:web:lock`;
    const onLost = vi.fn();
    const a = lock(key, { onLost });
    expect(await a.acquire()).toBe(true);
    await redis.set(key, 'someone-else', 'PX', 5_000);
    await vi.waitFor(() => expect(onLost).toHaveBeenCalledTimes(1), { timeout: 2_000, interval: 20 });
    expect(a.held).toBe(false);
    await a.release();
    expect(await redis.get(key)).toBe('someone-else');
  });

  it('counts the lock lost when Redis cannot be reached for longer than its ttl', async () => {
    const key = `${newPrefix()}wa:web:lock`;
    const flaky = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const onLost = vi.fn();
    const onError = vi.fn();
    const a = new ClientLock(flaky, key, { ttlMs: 300, onLost, onError });
    await vi.waitFor(() => expect(flaky.status).toBe('ready'));
    expect(await a.acquire()).toBe(true);
    flaky.disconnect();
    await vi.waitFor(() => expect(onLost).toHaveBeenCalledTimes(1), { timeout: 2_000, interval: 20 });
    expect(onError).toHaveBeenCalled();
    expect(a.held).toBe(false);
  });
});

describe('the real client factory', () => {
  const settings = (session: 'local' | 'redis'): WhatsAppWebSettings => ({ chromiumPath: '/usr/bin/chromium', session, sessionDir: dir, limits: {} });

  it('makes a whatsapp-web.js client on the system Chromium with LocalAuth in the session folder, without starting Chromium', async () => {
    const client = (await createWebClient(settings('local'), { redis, keyPrefix: newPrefix() })) as unknown as {
      options: { puppeteer: { executablePath: string; headless: boolean; args: string[] } };
      authStrategy: { constructor: { name: string }; clientId: string; dataPath: string };
      destroy(): Promise<void>;
    };
    expect(client.options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    expect(client.authStrategy.constructor.name).toBe('LocalAuth');
    expect(client.authStrategy).toMatchObject({ clientId: 'lotse', dataPath: dir });
    await client.destroy();
  });

  it('uses RemoteAuth with the Redis store, backed up every 5 minutes, when the session lives in Redis', async () => {
    const client = (await createWebClient(settings('redis'), { redis, keyPrefix: newPrefix() })) as unknown as {
      authStrategy: { constructor: { name: string }; clientId: string; dataPath: string; backupSyncIntervalMs: number; store: unknown };
      destroy(): Promise<void>;
    };
    expect(client.authStrategy.constructor.name).toBe('RemoteAuth');
    expect(client.authStrategy).toMatchObject({ clientId: 'lotse', dataPath: dir, backupSyncIntervalMs: 300_000 });
    expect(client.authStrategy.store).toBeInstanceOf(RedisSessionStore);
    await client.destroy();
  });
});
