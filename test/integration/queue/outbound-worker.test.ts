import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChannelSender } from '../../../src/core/channel.js';
import { PermanentSendError, RateLimitedError } from '../../../src/core/errors.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { createRedis } from '../../../src/infra/redis.js';
import { startOutboundWorker } from '../../../src/queue/outbound-worker.js';

const prefix = `bq-out-${randomUUID().slice(0, 8)}`;
const markerPrefix = `lotse-out-${randomUUID().slice(0, 8)}:`;
const client = createRedis(inject('redisUrl'), 'client');
const connection = createRedis(inject('redisUrl'), 'worker');
const queue = new Queue('outbound', { connection, prefix });
const events = new QueueEvents('outbound', { connection: createRedis(inject('redisUrl'), 'worker'), prefix });
const sent: string[] = [];
let failNext: Error | undefined;
const sender: ChannelSender = {
  channel: 'test',
  async send(reply) {
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    sent.push(reply.id);
  },
};
const worker = startOutboundWorker(connection, client, [sender], { prefix, markerPrefix });
const reply = (id: string): OutboundMessage => ({ id, channel: 'test', userId: 'u', text: 'hi', language: 'en', direction: 'ltr' });

async function run(id: string, attempts = 3) {
  const job = await queue.add('reply', { reply: reply(id) }, { jobId: id.replaceAll(':', '_'), attempts, backoff: { type: 'fixed', delay: 100 } });
  return job.waitUntilFinished(events, 15_000).then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error: error.message }),
  );
}

beforeAll(async () => {
  await events.waitUntilReady();
});
afterAll(async () => {
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await client.keys(`${markerPrefix}*`);
  if (keys.length) await client.del(...keys);
  await client.quit();
  await connection.quit();
});

describe('the outbound sender', () => {
  it('sends once and marks the reply sent; the same reply again is not sent', async () => {
    expect(await run('r1')).toEqual({ ok: true, value: 'sent' });
    expect(await client.get(`${markerPrefix}sent:r1`)).toBe('sent');
    expect(await run('r1')).toMatchObject({ ok: true });
    expect(sent.filter((id) => id === 'r1')).toHaveLength(1);
  });

  it('does not send again after a worker died between sending and marking (at most once), and keeps the job for inspection', async () => {
    await client.set(`${markerPrefix}sent:r2`, 'sending');
    expect(await run('r2')).toEqual({ ok: false, error: expect.stringContaining('delivery uncertain') });
    expect(sent).not.toContain('r2');
    expect(await queue.getJob('r2').then((job) => job?.failedReason)).toContain('delivery uncertain');
  });

  it('retries a failed send and honours a 429 without using up attempts', async () => {
    failNext = new Error('HTTP 502');
    expect(await run('r3')).toMatchObject({ ok: true });
    expect(sent).toContain('r3');
    failNext = new RateLimitedError(1);
    const started = Date.now();
    expect(await run('r4', 1)).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sent).toContain('r4');
  });

  it('does not retry a send that can never succeed', async () => {
    failNext = new PermanentSendError('Forbidden: bot was blocked by the user');
    expect(await run('r5', 5)).toEqual({ ok: false, error: expect.stringContaining('blocked') });
    expect((await queue.getJob('r5'))?.attemptsMade).toBe(1);
  });
});
