import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createLogId } from '../../../src/infra/log-ids.js';
import type { RedisConnection } from '../../../src/infra/redis.js';
import { createStatistics, knowledgeCatalogue } from '../../../src/statistics/statistics.js';
import { consoleApp } from '../handoff/console-harness.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

/** Statistics on the test Redis under a prefix of their own; `errors` collects what the recorder reported. */
export async function statisticsOn(redis: RedisConnection, options: { now?: () => Date; prefix?: string } = {}) {
  const prefix = options.prefix ?? `stats-test-${randomUUID().slice(0, 8)}:`;
  const errors: { error: unknown; where: string }[] = [];
  const logId = await createLogId(redis as Redis, prefix);
  const statistics = createStatistics({ redis, prefix, logId, statsDays: 400, retentionDays: 90, onError: (error, where) => errors.push({ error, where }), now: options.now });
  return {
    prefix,
    statistics,
    errors,
    logId,
    catalogue: knowledgeCatalogue({ indexDir: inject('indexDir'), knowledgeDir: 'knowledge' }),
    keys: () => scanKeys(redis, `${prefix}*`),
    /** Deletes every key under the prefix; the keys still there (none, or a leak). */
    async cleanup(): Promise<string[]> {
      await deleteKeys(redis, prefix);
      return scanKeys(redis, `${prefix}*`);
    },
  };
}

/** The advisor console with the statistics page, an admin, a staff member and an advisor. */
export async function statisticsConsoleApp(now?: () => Date) {
  const redis = new Redis(inject('redisUrl'));
  const stats = await statisticsOn(redis, { now });
  const app = await consoleApp({}, 'redis', undefined, { extensions: [stats.statistics.consolePage(stats.catalogue)] });
  await app.addAdvisor('root', ['general'], ['--admin', '--display', 'Root A.']);
  await app.addAdvisor('sara', [], ['--staff', '--display', 'Sara P.']);
  await app.addAdvisor('amira', ['general'], ['--display', 'Amira B.']);
  return {
    app,
    redis,
    ...stats,
    async close(): Promise<string[]> {
      const left = [...(await app.close()), ...(await stats.cleanup())];
      await redis.quit();
      return left;
    },
  };
}
