import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { conversationKey, type OutboundMessage } from '../../../src/core/message.js';
import { createRedis, whenReady } from '../../../src/infra/redis.js';
import { DeadLetters } from '../../../src/queue/dead-letters.js';
import { shortHash } from '../../../src/queue/lanes/lane-keys.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';
import { deleteKeys } from '../../helpers/redis-keys.js';
import { everyJob, everything } from '../../helpers/stored-data.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function setup() {
  const id = randomUUID().slice(0, 8);
  const bullPrefix = `bq-erase-${id}`;
  const keyPrefix = `lotse-erase-${id}:`;
  const redis = createRedis(inject('redisUrl'), 'client');
  await whenReady(redis);
  const queues = new MessageQueues(redis, { bullPrefix, keyPrefix, userRateLimit: 0 });
  cleanup.push(async () => {
    await queues.close();
    await deleteKeys(redis, `${bullPrefix}:`, keyPrefix);
    await redis.quit();
  });
  const reply = (user: string, n: number): OutboundMessage => ({ id: `test:${user}:m${n}:0`, channel: 'test', userId: user, text: `reply ${n} to ${user}`, language: 'en', direction: 'ltr' });
  return { redis, queues, bullPrefix, keyPrefix, prefixes: [`${bullPrefix}:`, keyPrefix], reply };
}

describe('the queues, for erasure and export', () => {
  it('keep the ids of pushed items as hashes, still refuse a repeated id, and honour ids kept as they were', async () => {
    const { redis, queues, reply } = await setup();
    const key = conversationKey('test', '4915550001111');
    await queues.deliver([reply('4915550001111', 1)]);
    await queues.deliver([reply('4915550001111', 1)]);
    expect(await queues.outbound.length(key)).toBe(1);
    const seen = await redis.zrange(queues.outbound.keys(key).seen, 0, -1);
    expect(seen).toEqual([shortHash('test:4915550001111:m1:0', 24)]);
    // A marker written before ids were hashed still counts until it is forgotten.
    await redis.zadd(queues.outbound.keys(key).seen, Date.now() + 60_000, 'test:4915550001111:m2:0');
    expect(await queues.outbound.push(key, 'test:4915550001111:m2:0', '{}')).toBe('duplicate');
  });

  it('show a conversation\'s waiting items and the jobs that name it, and erase them in every state, no one else\'s', async () => {
    const { queues, bullPrefix, prefixes, reply } = await setup();
    const user = '4915550002222';
    const other = '4915550003333';
    const key = conversationKey('test', user);
    await queues.accept({ id: `test:${user}:1`, channel: 'test', userId: user, kind: 'text', text: 'Hello from Quenby', receivedAt: new Date().toISOString() });
    await queues.deliver([reply(user, 1), reply(other, 1)]);
    await queues.typing('test', user);
    // A wake-up that failed (kept a week) and one waiting for later.
    await queues.outbound.queue.add('wake', { lane: key }, { jobId: 'failing', attempts: 1 });
    const connection = createRedis(inject('redisUrl'), 'worker');
    const worker = new Worker(queues.outbound.queue.name, async (job) => {
      if (job.id === 'failing') throw new Error('Redis went away');
    }, { connection, prefix: bullPrefix });
    await expect.poll(async () => (await queues.outbound.queue.getJobs(['failed'])).length, { timeout: 10_000 }).toBe(1);
    await worker.close();
    connection.disconnect();
    await queues.outbound.wake(key, 'later', Date.now() + 60_000);

    const exported = await queues.exportConversation(key);
    expect(exported!.messagesNotHandledYet).toEqual([expect.objectContaining({ text: 'Hello from Quenby' })]);
    expect(exported!.repliesNotSentYet).toEqual([expect.objectContaining({ text: `reply 1 to ${user}` })]);
    expect(exported!.jobs.map((job) => `${job.queue}/${job.state}`)).toEqual(expect.arrayContaining(['outbound/failed', 'outbound/delayed', 'typing/waiting']));

    // As in the turn of "delete": replies, markers and jobs; the message being handled stays.
    await queues.eraseConversation(key);
    expect(await queues.inbound.length(key)).toBe(1);
    const afterTurn = await queues.exportConversation(key);
    expect(afterTurn).toEqual({ messagesNotHandledYet: [expect.objectContaining({ text: 'Hello from Quenby' })], repliesNotSentYet: [], jobs: [] });
    // As an operator: the messages not handled yet too.
    await queues.eraseUnhandled(key);
    expect(await queues.exportConversation(key)).toBeUndefined();
    const stored = `${await everything(prefixes)}\n${await everyJob(bullPrefix)}`;
    expect(stored).not.toContain(user);
    expect(stored).not.toContain('Quenby');
    expect(stored).toContain(other);
  });

  it('keep dead letters a week each, show and erase those of one conversation', async () => {
    const { redis, keyPrefix } = await setup();
    const letters = new DeadLetters(redis, keyPrefix);
    const old = { at: new Date(Date.now() - 8 * 86_400_000).toISOString(), conversation: 'aaaa', error: 'x', text: 'a week and a day old' };
    await redis.rpush(letters.key('inbound'), JSON.stringify(old));
    await letters.add('inbound', { at: new Date().toISOString(), conversation: 'bbbb', error: 'x', text: 'Wendeline asked' });
    await letters.add('outbound', { at: new Date().toISOString(), conversation: 'bbbb', error: 'y' });
    await letters.add('inbound', { at: new Date().toISOString(), conversation: 'cccc', error: 'x', text: 'someone else' });
    expect((await letters.list('inbound')).map((letter) => letter.text)).toEqual(['someone else', 'Wendeline asked']);
    expect((await letters.ofConversation('bbbb')).map((letter) => letter.kind).sort()).toEqual(['inbound', 'outbound']);
    await letters.eraseConversation('bbbb');
    expect(await letters.ofConversation('bbbb')).toEqual([]);
    expect((await letters.list('inbound')).map((letter) => letter.text)).toEqual(['someone else']);
  });
});
