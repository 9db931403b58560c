import type { Redis } from 'ioredis';

/** Deletes every key that starts with one of the prefixes (tests clean up after themselves). */
export async function deleteKeys(redis: Redis, ...prefixes: string[]): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}
