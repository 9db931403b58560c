import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, scanKeys, type RedisConnection } from '../../../src/infra/redis.js';
import { startRedisCluster, type LocalRedisCluster } from '../../helpers/redis-cluster.js';
import { SEEDED, seedDays, seedStatistics } from '../../helpers/statistics-seed.js';
import { statisticsOn } from './statistics-harness.js';

/** The statistics on a three-master Redis Cluster: every script, pipeline and MULTI stays in one slot. */
let cluster: LocalRedisCluster;
let redis: RedisConnection;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  redis = connectRedis(cluster.url, 'client', true);
});
afterAll(async () => {
  await redis?.quit().catch(() => undefined);
  await cluster?.stop();
});

describe('statistics on a Redis Cluster', () => {
  it('records, reads, links and erases without a cross-slot error, all keys under the {stats} tag', async () => {
    const stats = await statisticsOn(redis, { prefix: 'lotse:' });
    await seedStatistics(stats.statistics, 'cluster');
    const { before, today } = seedDays();
    const reader = stats.statistics.reader(stats.catalogue);
    const report = await reader.report(before, today);
    expect(report.totals).toMatchObject({ started: SEEDED.started, active: SEEDED.active, cases: SEEDED.cases, unanswered: SEEDED.unanswered });
    expect(report.totals.waits.medianMinutes).toBe(SEEDED.waits.medianMinutes);
    const dog = report.unanswered.groups[0]!;
    expect(await stats.statistics.unanswered.link(dog.questionIds, { document: 'working-in-germany', at: new Date().toISOString(), by: 'sara' })).toBe(4);
    expect(await stats.statistics.erasure.export!('whatsapp:sn-1-cluster')).toHaveLength(2);
    await stats.statistics.erasure.erase('whatsapp:sn-1-cluster');
    expect((await reader.report(before, today)).unanswered.total).toBe(3);
    expect(stats.errors).toEqual([]);
    const keys = (await scanKeys(redis, 'lotse:*')).filter((key) => key !== 'lotse:log-hash-key');
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.every((key) => key.startsWith('lotse:{stats}:'))).toBe(true);
    // The cluster goes with its data; nothing to clean on the shared test Redis.
  });
});
