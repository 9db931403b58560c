import { deleteKeys as deleteEach, globEscape, scanKeys as scanAll, type RedisConnection } from '../../src/infra/redis.js';

/** Every key matching a SCAN pattern (tests check what they left behind); on a cluster, on every master. */
export async function scanKeys(redis: RedisConnection, pattern: string): Promise<string[]> {
  return scanAll(redis, pattern, 1000);
}

/** Deletes every key that starts with one of the prefixes (tests clean up after themselves). */
export async function deleteKeys(redis: RedisConnection, ...prefixes: string[]): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) deleted += await deleteEach(redis, await scanKeys(redis, `${globEscape(prefix)}*`));
  return deleted;
}
