import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Turns an identifier (chat id, session, job id) into a keyed hash that logs may carry. */
export type LogId = (id: string) => string;

/**
 * A keyed hash for identifiers in logs: the same id gives the same hash in every process sharing
 * the Redis (the key is made once and kept there), so a conversation can be followed through the
 * logs, while the log alone cannot be turned back into a chat id or phone number.
 */
export async function createLogId(redis: Redis, prefix = 'lotse:'): Promise<LogId> {
  const keyName = `${prefix}log-hash-key`;
  await redis.set(keyName, randomBytes(32).toString('base64'), 'NX');
  return keyedHash((await redis.get(keyName)) ?? randomBytes(32).toString('base64'));
}

const keyedHash =
  (key: string): LogId =>
  (id) =>
    createHmac('sha256', key).update(id).digest('base64url').slice(0, 12);

/**
 * The same keyed hash, for a tool that only reads (`npm run export`): undefined when no Lotse ever
 * made the key, and then nothing was logged or kept under a hash either. Writes nothing.
 */
export async function existingLogId(redis: Redis, prefix = 'lotse:'): Promise<LogId | undefined> {
  const key = await redis.get(`${prefix}log-hash-key`);
  return key === null ? undefined : keyedHash(key);
}
