import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Worker } from 'bullmq';
import type { ChannelSender, SendLimits } from '../../../src/core/channel.js';
import { PermanentSendError, RateLimitedError } from '../../../src/core/errors.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { createRedis, whenReady } from '../../../src/infra/redis.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';
import { startOutboundWorker } from '../../../src/queue/outbound-worker.js';
import { SendThrottle } from '../../../src/queue/send-throttle.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const id = randomUUID().slice(0, 8);
const bullPrefix = `bq-out-${id}`;
const keyPrefix = `lotse-out-${id}:`;
const client = createRedis(inject('redisUrl'), 'client');
const producer = createRedis(inject('redisUrl'), 'producer');
const connection = createRedis(inject('redisUrl'), 'worker');
const queues = new MessageQueues(producer, { bullPrefix, keyPrefix });

/** A platform that records each part it got, with the time, and fails on demand. */
class RecordingSender implements ChannelSender {
  readonly sent: { id: string; part: number; at: number; userId: string }[] = [];
  /** Failures to throw, by "replyId/part", once each. */
  readonly failures = new Map<string, Error>();
  constructor(
    readonly channel: string,
    readonly limits?: SendLimits,
  ) {}
  partCount(reply: OutboundMessage) {
    return reply.text.split('|').length;
  }
  async send(reply: OutboundMessage, part: number) {
    const key = `${reply.id}/${part}`;
    const failure = this.failures.get(key);
    if (failure) {
      this.failures.delete(key);
      throw failure;
    }
    this.sent.push({ id: reply.id, part, at: Date.now(), userId: reply.userId });
  }
}

const plain = new RecordingSender('plain');
const limited = new RecordingSender('limited', { perSecond: 10, perChatIntervalMs: 300 });
const dead: (OutboundMessage | undefined)[] = [];
let worker: Worker;
const reply = (replyId: string, text = 'hi', channel = 'plain', userId = 'u1'): OutboundMessage => ({ id: replyId, channel, userId, text, language: 'en', direction: 'ltr' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  await whenReady(producer);
  worker = startOutboundWorker(connection, client, queues, [plain, limited], {
    bullPrefix,
    leaseMs: 2_000,
    backoffMs: () => 200,
    maxAttempts: 4,
    throttle: new SendThrottle(client, keyPrefix),
    onDead: async (r) => void dead.push(r),
  });
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  await deleteKeys(client, `${bullPrefix}:`, keyPrefix);
  for (const c of [client, producer, connection]) await c.quit();
});

describe('the outbound sender', () => {
  it('sends a reply once; the same reply queued again is not sent again', async () => {
    await queues.deliver([reply('r1')]);
    await until(() => plain.sent.some((s) => s.id === 'r1'), 5_000, 'r1');
    await queues.deliver([reply('r1')]);
    await sleep(400);
    expect(plain.sent.filter((s) => s.id === 'r1')).toHaveLength(1);
  });

  it('does not send again what the markers record as sent, when an item is handled twice (a crash before it left its lane)', async () => {
    const chat = 'plain:u-crash';
    const item = JSON.stringify(reply('r2', 'one|two', 'plain', 'u-crash'));
    const markers = queues.outbound.keys(chat).parts('r2');
    await queues.deliver([reply('r2', 'one|two', 'plain', 'u-crash')]);
    await until(() => plain.sent.filter((s) => s.id === 'r2').length === 2, 5_000, 'r2');
    // Its markers leave the lane with it (in the same step): nothing of a sent reply stays behind.
    await until(async () => (await client.exists(markers)) === 0, 5_000, 'the markers gone with the item');
    // The same item back at the head of its lane with the markers its parts got, as a crash between
    // sending and removing it leaves them.
    await client.hset(markers, '0', 'sent', '1', 'sent');
    await client.rpush(queues.outbound.keys(chat).items, item);
    await queues.outbound.wake(chat, 'again-r2');
    await until(async () => (await queues.outbound.length(chat)) === 0, 5_000, 'the lane drained').catch(() => undefined);
    await sleep(500);
    expect(plain.sent.filter((s) => s.id === 'r2').map((s) => s.part)).toEqual([0, 1]);
  });

  it('a part left "sending" by a dead attempt is not sent again (at most once); the parts after it are', async () => {
    const chat = 'plain:u-uncertain';
    await client.hset(queues.outbound.keys(chat).parts('r3'), '0', 'sending');
    await queues.deliver([reply('r3', 'one|two', 'plain', 'u-uncertain')]);
    await until(() => plain.sent.some((s) => s.id === 'r3'), 5_000, 'r3');
    await sleep(300);
    expect(plain.sent.filter((s) => s.id === 'r3').map((s) => s.part)).toEqual([1]);
  });

  it('a 429 on part 2 of a long reply resends neither part 1 nor anything twice, and waits retry_after', async () => {
    plain.failures.set('r4/1', new RateLimitedError(1));
    const started = Date.now();
    await queues.deliver([reply('r4', 'one|two|three', 'plain', 'u-429')]);
    await until(() => plain.sent.filter((s) => s.id === 'r4').length === 3, 8_000, 'r4');
    const parts = plain.sent.filter((s) => s.id === 'r4');
    expect(parts.map((s) => s.part)).toEqual([0, 1, 2]);
    expect(parts[1]!.at - started).toBeGreaterThanOrEqual(950);
  });

  it('a failed send is retried; one that can never succeed goes to the dead letters at once, and the chat goes on', async () => {
    plain.failures.set('r5/0', new Error('HTTP 502'));
    await queues.deliver([reply('r5', 'x', 'plain', 'u-retry')]);
    await until(() => plain.sent.some((s) => s.id === 'r5'), 5_000, 'r5 after a retry');
    plain.failures.set('r6/0', new PermanentSendError('Forbidden: bot was blocked by the user'));
    await queues.deliver([reply('r6', 'x', 'plain', 'u-blocked'), reply('r7', 'x', 'plain', 'u-blocked')]);
    await until(() => plain.sent.some((s) => s.id === 'r7'), 5_000, 'r7 after the dead r6');
    expect(dead.map((r) => r?.id)).toEqual(['r6']);
  });

  it('keeps each chat in order, and keeps the platform\'s limits: per chat interval and overall rate, before any 429', async () => {
    const replies = [0, 1, 2].flatMap((n) => Array.from({ length: 6 }, (_, user) => reply(`L${user}-${n}`, 'x', 'limited', `chat${user}`)));
    const started = Date.now();
    for (const r of replies) await queues.deliver([r]);
    await until(() => limited.sent.length === 18, 15_000, 'the 18 limited replies');
    for (let user = 0; user < 6; user++) {
      const mine = limited.sent.filter((s) => s.userId === `chat${user}`);
      expect(mine.map((s) => s.id)).toEqual([0, 1, 2].map((n) => `L${user}-${n}`));
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(290);
    }
    // 10 a second overall: 18 sends take at least 1.7 s, and no second holds more than 10.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_650);
    const times = limited.sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(950);
  });
});
