import type { Redis } from 'ioredis';

/** Every key matching a SCAN pattern (tests check what they left behind). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key that starts with one of the prefixes (tests clean up after themselves). */
export async function deleteKeys(redis: Redis, ...prefixes: string[]): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    const keys = await scanKeys(redis, `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
    for (let i = 0; i < keys.length; i += 500) deleted += await redis.del(...keys.slice(i, i + 500));
  }
  return deleted;
}
