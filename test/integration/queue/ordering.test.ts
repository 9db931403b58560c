import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Worker } from 'bullmq';
import type { InboundMessage } from '../../../src/core/message.js';
import { createRedis } from '../../../src/infra/redis.js';
import { startConversationWorkers } from '../../../src/queue/conversation-worker.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('the inbound queue', () => {
  it('handles one conversation in order and one at a time, different conversations side by side, across two worker processes', async () => {
    const prefix = `bq-order-${randomUUID().slice(0, 8)}`;
    const producer = createRedis(inject('redisUrl'), 'producer');
    const connections = [createRedis(inject('redisUrl'), 'worker'), createRedis(inject('redisUrl'), 'worker')];
    const queues = new MessageQueues(producer, { prefix, partitions: 4 });
    await queues.init();
    const seen = new Map<string, number[]>();
    const active = new Map<string, number>();
    let overlapSameUser = 0;
    let maxConcurrent = 0;
    let running = 0;
    const handle = async (message: InboundMessage) => {
      running += 1;
      maxConcurrent = Math.max(maxConcurrent, running);
      if ((active.get(message.userId) ?? 0) > 0) overlapSameUser += 1;
      active.set(message.userId, (active.get(message.userId) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
      seen.set(message.userId, [...(seen.get(message.userId) ?? []), Number(message.text)]);
      active.set(message.userId, active.get(message.userId)! - 1);
      running -= 1;
      return { replies: [], duplicate: false, erased: false };
    };
    // Two "processes": two sets of workers on the same queues.
    const workers: Worker[] = connections.flatMap((connection) => startConversationWorkers(connection, queues, handle, { prefix }));
    cleanup.push(async () => {
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      for (const c of [producer, ...connections]) await c.quit();
    });
    const users = Array.from({ length: 8 }, (_, i) => `user${i}`);
    for (let n = 0; n < 15; n++) {
      for (const user of users) {
        await queues.accept({ id: `test:${user}:${n}`, channel: 'test', userId: user, kind: 'text', text: String(n), receivedAt: new Date().toISOString() });
      }
    }
    const deadline = Date.now() + 30_000;
    while ([...seen.values()].reduce((a, v) => a + v.length, 0) < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const user of users) expect(seen.get(user), user).toEqual(Array.from({ length: 15 }, (_, n) => n));
    expect(overlapSameUser).toBe(0);
    expect(maxConcurrent).toBeGreaterThan(1);
  });
});
