import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { InboundMessage } from '../../../src/core/message.js';
import type { TurnResult } from '../../../src/core/turn-context.js';
import { createRedis, whenReady } from '../../../src/infra/redis.js';
import { startConversationWorker } from '../../../src/queue/conversation-worker.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

const done: TurnResult = { replies: [], duplicate: false, erased: false };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues on the test Redis under fresh prefixes, and "processes" (each its own connections) that run workers on them. */
async function setup(options: { userRateLimit?: number } = {}) {
  const id = randomUUID().slice(0, 8);
  const bullPrefix = `bq-lanes-${id}`;
  const keyPrefix = `lotse-lanes-${id}:`;
  const producer = createRedis(inject('redisUrl'), 'producer');
  await whenReady(producer);
  const queues = new MessageQueues(producer, { bullPrefix, keyPrefix, userRateLimit: options.userRateLimit ?? 0 });
  const connections: Redis[] = [producer];
  const workers: Worker[] = [];
  cleanup.push(async () => {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    await queues.close();
    const redis = createRedis(inject('redisUrl'), 'client');
    await deleteKeys(redis, `${bullPrefix}:`, keyPrefix);
    await redis.quit();
    for (const c of connections) c.disconnect();
  });
  const process = (handle: (message: InboundMessage) => Promise<TurnResult>, extra: { concurrency?: number; leaseMs?: number; onDead?: (m: InboundMessage | undefined) => Promise<void> } = {}) => {
    const connection = createRedis(inject('redisUrl'), 'worker');
    const client = createRedis(inject('redisUrl'), 'client');
    connections.push(connection, client);
    const worker = startConversationWorker(connection, client, queues, handle, {
      bullPrefix,
      concurrency: extra.concurrency ?? 4,
      leaseMs: extra.leaseMs ?? 2_000,
      backoffMs: () => 300,
      onDead: extra.onDead ?? (async () => undefined),
    });
    workers.push(worker);
    return { worker, connection, client };
  };
  const message = (user: string, n: number | string, text = String(n)): InboundMessage => ({ id: `test:${user}:${n}`, channel: 'test', userId: user, kind: 'text', text, receivedAt: new Date().toISOString() });
  return { queues, process, message };
}

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the inbound lanes', () => {
  it('handle one conversation in order and one at a time, many conversations at once, across two worker processes', async () => {
    const { queues, process, message } = await setup();
    const seen = new Map<string, number[]>();
    const active = new Map<string, number>();
    let overlapSameUser = 0;
    let maxConcurrent = 0;
    let running = 0;
    const handle = async (m: InboundMessage) => {
      running += 1;
      maxConcurrent = Math.max(maxConcurrent, running);
      if ((active.get(m.userId) ?? 0) > 0) overlapSameUser += 1;
      active.set(m.userId, (active.get(m.userId) ?? 0) + 1);
      await sleep(Math.random() * 15);
      seen.set(m.userId, [...(seen.get(m.userId) ?? []), Number(m.text)]);
      active.set(m.userId, active.get(m.userId)! - 1);
      running -= 1;
      return done;
    };
    process(handle);
    process(handle);
    const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
    for (let n = 0; n < 15; n++) await Promise.all(users.map((user) => queues.accept(message(user, n))));
    await until(() => [...seen.values()].reduce((a, v) => a + v.length, 0) >= 180, 30_000, 'all 180 messages');
    for (const user of users) expect(seen.get(user), user).toEqual(Array.from({ length: 15 }, (_, n) => n));
    expect(overlapSameUser).toBe(0);
    // Concurrency grows with the workers: more than one process's worth at once.
    expect(maxConcurrent).toBeGreaterThan(4);
  });

  it('a redelivered message (same id) is handled once', async () => {
    const { queues, process, message } = await setup();
    const seen: string[] = [];
    process(async (m) => {
      seen.push(m.text);
      return done;
    });
    await queues.accept(message('u', 1));
    await queues.accept(message('u', 1));
    await queues.accept(message('u', 2));
    await until(() => seen.length >= 2, 10_000, 'two messages');
    await sleep(500);
    expect(seen).toEqual(['1', '2']);
  });

  it('a failing turn is retried before anything later of its conversation, and does not hold up other conversations', async () => {
    const { queues, process, message } = await setup();
    const order: string[] = [];
    let failures = 0;
    process(async (m) => {
      if (m.userId === 'a' && m.text === '0' && failures < 2) {
        failures += 1;
        throw new Error('store unreachable');
      }
      order.push(`${m.userId}${m.text}`);
      return done;
    });
    for (let n = 0; n < 4; n++) await queues.accept(message('a', n));
    await queues.accept(message('b', 0));
    await until(() => order.includes('b0'), 5_000, 'the other conversation');
    // b went ahead while a waited out its backoff; a's later messages did not overtake its first.
    expect(order.filter((o) => o.startsWith('a'))).toEqual([]);
    await until(() => order.filter((o) => o.startsWith('a')).length === 4, 10_000, 'conversation a');
    expect(order.filter((o) => o.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(failures).toBe(2);
  });

  it('a message that keeps failing goes to the dead letters after its attempts, and the conversation goes on', async () => {
    const { queues, process, message } = await setup();
    const handled: string[] = [];
    const dead: (InboundMessage | undefined)[] = [];
    process(
      async (m) => {
        if (m.text === 'poison') throw new Error('always fails');
        handled.push(m.text);
        return done;
      },
      { onDead: async (m) => void dead.push(m) },
    );
    await queues.accept(message('p', 0, 'poison'));
    await queues.accept(message('p', 1, 'after'));
    await until(() => handled.includes('after'), 15_000, 'the message after the poison');
    expect(dead.map((m) => m?.text)).toEqual(['poison']);
  });

  it('a worker that dies mid-turn: its conversation is handled again by another, once, and the others never wait for it', async () => {
    const { queues, process, message } = await setup();
    const handledBy: string[] = [];
    // Process A takes conversation "x" and hangs forever inside its turn, as a killed process would.
    const a = process(async (m) => {
      if (m.userId === 'x') await new Promise(() => undefined);
      handledBy.push(`A:${m.userId}${m.text}`);
      return done;
    }, { leaseMs: 1_500, concurrency: 1 });
    await queues.accept(message('x', 0));
    await sleep(300);
    // A dies: its connections drop, nothing of it runs any more.
    await a.worker.close(true).catch(() => undefined);
    a.connection.disconnect();
    a.client.disconnect();
    const started = Date.now();
    process(async (m) => {
      handledBy.push(`B:${m.userId}${m.text}`);
      return done;
    }, { leaseMs: 1_500 });
    await queues.accept(message('y', 0));
    await until(() => handledBy.includes('B:y0'), 3_000, 'another conversation, at once');
    await until(() => handledBy.includes('B:x0'), 20_000, 'the dead worker\'s message');
    expect(Date.now() - started).toBeLessThan(15_000);
    await sleep(500);
    expect(handledBy.filter((h) => h.endsWith('x0'))).toEqual(['B:x0']);
  });

  it('a flood from one user: only the first messages a minute are read, the rest are kept without text and get one notice', async () => {
    const { queues, process, message } = await setup({ userRateLimit: 5 });
    const handled: InboundMessage[] = [];
    process(async (m) => {
      handled.push(m);
      return done;
    });
    for (let n = 0; n < 30; n++) await queues.accept(message('flood', n, `question ${n}`));
    await queues.accept(message('calm', 0, 'hello'));
    await until(() => handled.some((m) => m.userId === 'calm') && handled.filter((m) => m.userId === 'flood').length >= 6, 10_000, 'the flood handled');
    await sleep(500);
    const flood = handled.filter((m) => m.userId === 'flood');
    expect(flood.filter((m) => !m.throttled).map((m) => m.text)).toEqual(['question 0', 'question 1', 'question 2', 'question 3', 'question 4']);
    // One throttled message a minute reaches the pipeline (for the notice), without its text.
    expect(flood.filter((m) => m.throttled)).toHaveLength(1);
    expect(flood.find((m) => m.throttled)!.text).toBe('');
  });
});
