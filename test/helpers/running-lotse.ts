import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { createRedis } from '../../src/infra/redis.js';
import { startLotse, type Roles, type StartOptions } from '../../src/main.js';
import { deleteKeys } from './redis-keys.js';

/**
 * The whole app on the test Redis, with its own key prefixes, a free port and the prebuilt index.
 * `stop()` stops it; `cleanup()` stops it and deletes every key under its prefixes (tests leave no
 * keys behind; a test that hands the prefixes to a second instance cleans up through the last one).
 */
export async function runLotse(env: NodeJS.ProcessEnv = {}, roles: Roles = { gateway: true, worker: true, sender: true }, extra: Partial<StartOptions> = {}) {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.dirname(inject('indexDir')), LOG_LEVEL: 'silent', ...env });
  const prefixes = { queuePrefix: extra.queuePrefix ?? `bq-${id}`, keyPrefix: extra.keyPrefix ?? `lotse-${id}:` };
  const deleteOwnKeys = async () => {
    const redis = createRedis(inject('redisUrl'), 'client');
    await deleteKeys(redis, `${prefixes.queuePrefix}:`, prefixes.keyPrefix);
    await redis.quit();
  };
  let lotse: Awaited<ReturnType<typeof startLotse>>;
  try {
    lotse = await startLotse({ config, logger: createLogger('silent'), redisUrl: inject('redisUrl'), roles, leaseMs: 3_000, ...prefixes, ...extra });
  } catch (error) {
    // A start that fails half-way (a refused token) has written keys already: they go too.
    await deleteOwnKeys();
    throw error;
  }
  const cleanup = async () => {
    await lotse.stop();
    await deleteOwnKeys();
  };
  return { ...lotse, ...prefixes, config, cleanup };
}
