import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for its role. Workers block and must never give up on a command
 * (maxRetriesPerRequest null, as BullMQ requires); producers fail fast, so that a webhook can
 * answer 503 at once when Redis is down instead of hanging.
 */
export function createRedis(url: string, role: 'worker' | 'producer' | 'client', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : role === 'producer'
        ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }
        : { maxRetriesPerRequest: 2, connectTimeout: 2_000 };
  return new Redis(url, { lazyConnect: false, ...options, ...extra });
}

/** Resolves once the connection is ready (a producer without an offline queue refuses commands before). */
export async function whenReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
