import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CaseRepository } from '../../../src/handoff/case-repository.js';
import { freePort } from '../../../src/infra/free-port.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createRedis } from '../../../src/infra/redis.js';
import { registerRedisGauges } from '../../../src/operations/redis-gauges.js';
import { LaneQueue } from '../../../src/queue/lanes/lane-queue.js';
import { sample } from '../../helpers/prometheus-text.js';

describe('the gauges read from Redis at a scrape', () => {
  it('never fail or hold up the scrape when Redis does not answer: they are left out, and that is logged once', async () => {
    // A port nothing listens on: every read fails or hangs, as when Redis is down.
    const url = `redis://127.0.0.1:${await freePort()}`;
    const client = createRedis(url, 'client');
    const producer = createRedis(url, 'producer');
    for (const connection of [client, producer]) connection.on('error', () => undefined);
    const lanes = new LaneQueue(producer, { kind: 'in', queueName: 'inbound', keyPrefix: 'gauges-test:' });
    const typing = new Queue('typing', { connection: producer });
    typing.on('error', () => undefined);
    const lines: string[] = [];
    const registry = new Registry();
    registerRedisGauges(registry, {
      queues: [
        { name: 'inbound', queue: lanes.queue as Queue, kind: 'wake', lanes, description: '' },
        { name: 'typing', queue: typing, kind: 'typing', description: '' },
      ],
      activeCases: (pools) => new CaseRepository(client, 'gauges-test:').listActive(pools),
      pools: ['default'],
      redis: client,
      logger: createLogger('info', new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) })),
      timeoutMs: 300,
    });
    try {
      for (let scrape = 0; scrape < 2; scrape++) {
        const started = Date.now();
        const text = await registry.metrics();
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(sample(text, 'lotse_redis_gauges_up')).toBe(0);
        for (const name of ['lotse_cases', 'lotse_case_oldest_wait_seconds', 'lotse_queue_jobs', 'lotse_lane_backlog_lanes', 'lotse_lane_backlog_items']) expect(sample(text, name), name).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(lines.filter((line) => line.includes('could not read Redis'))).toHaveLength(1);
    } finally {
      await Promise.all([lanes.close(), typing.close()]).catch(() => undefined);
      client.disconnect();
      producer.disconnect();
    }
  });
});
