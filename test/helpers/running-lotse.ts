import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { startLotse, type Roles, type StartOptions } from '../../src/main.js';

/** The whole app on the test Redis, with its own key prefixes, a free port and the prebuilt index. */
export async function runLotse(env: NodeJS.ProcessEnv = {}, roles: Roles = { gateway: true, worker: true, sender: true }, extra: Partial<StartOptions> = {}) {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.dirname(inject('indexDir')), LOG_LEVEL: 'silent', ...env });
  const prefixes = { queuePrefix: extra.queuePrefix ?? `bq-${id}`, keyPrefix: extra.keyPrefix ?? `lotse-${id}:` };
  const lotse = await startLotse({ config, logger: createLogger('silent'), redisUrl: inject('redisUrl'), roles, partitions: 4, ...prefixes, ...extra });
  return { ...lotse, ...prefixes, config };
}
