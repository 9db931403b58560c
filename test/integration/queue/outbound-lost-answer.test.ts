import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChannelSender } from '../../../src/core/channel.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { createRedis, whenReady } from '../../../src/infra/redis.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';
import { startOutboundWorker } from '../../../src/queue/outbound-worker.js';
import { SendThrottle } from '../../../src/queue/send-throttle.js';
import { RedisAnswerDropper } from '../../helpers/redis-answer-dropper.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

// What failed in CI: Redis was killed right after it wrote a reply part's "sending" mark, before
// its answer reached the sender, and stayed down long enough for ioredis to give up on the
// command. The sender's next attempt found the mark, took the part as possibly delivered, and
// the user never got the answer. These run the sender on a connection through a proxy that loses
// that answer and then refuses connections for a while, against the real Redis.
const id = randomUUID().slice(0, 8);
const bullPrefix = `bq-lost-${id}`;
const keyPrefix = `lotse-lost-${id}:`;
const producer = createRedis(inject('redisUrl'), 'producer');
const connection = createRedis(inject('redisUrl'), 'worker');
const queues = new MessageQueues(producer, { bullPrefix, keyPrefix });
let dropper: RedisAnswerDropper;

const sent: { id: string; part: number }[] = [];
const uncertain: string[] = [];
const sender: ChannelSender = {
  channel: 'plain',
  partCount: (reply) => reply.text.split('|').length,
  async send(reply, part) {
    sent.push({ id: reply.id, part });
  },
};
const reply = (replyId: string, text: string): OutboundMessage => ({ id: replyId, channel: 'plain', userId: `u-${replyId}`, text, language: 'en', direction: 'ltr' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const partsSent = (replyId: string) => sent.filter((s) => s.id === replyId).map((s) => s.part);

/** A sender process whose Redis client goes through the proxy, with the given lane lease. */
async function withSender(leaseMs: number | undefined, body: () => Promise<void>): Promise<void> {
  const client = createRedis(dropper.url, 'client');
  client.on('error', () => undefined);
  const worker = startOutboundWorker(connection, client, queues, [sender], {
    bullPrefix,
    leaseMs,
    backoffMs: () => 200,
    maxAttempts: 6,
    throttle: new SendThrottle(connection, keyPrefix),
    onDead: async () => undefined,
    onUncertain: (r, part) => void uncertain.push(`${r.id}/${part}`),
  });
  try {
    await body();
  } finally {
    await worker.close();
    client.disconnect();
  }
}

async function sendThroughLostAnswer(replyId: string): Promise<string> {
  const lost = dropper.loseAnswerTo('sending');
  await queues.deliver([reply(replyId, 'one|two|three')]);
  const withheld = await lost;
  const deadline = Date.now() + 15_000;
  while (partsSent(replyId).length < 3 && Date.now() < deadline) await sleep(50);
  await sleep(500);
  return withheld;
}

beforeAll(async () => {
  dropper = await RedisAnswerDropper.start(inject('redisUrl'));
  await whenReady(producer);
});
afterAll(async () => {
  await queues.close();
  await dropper.close();
  await deleteKeys(connection, `${bullPrefix}:`, keyPrefix);
  for (const c of [producer, connection]) await c.quit();
});

describe('the outbound sender when Redis loses the answer to a "sending" mark', () => {
  it('takes its own mark back and sends the part: every part once, none lost', async () => {
    await withSender(undefined, async () => {
      const withheld = await sendThroughLostAnswer('r-lost');
      // The mark was carried out: Redis answered the MULTI's EXEC with its two results.
      expect(withheld).toContain('*2\r\n');
      expect(partsSent('r-lost')).toEqual([0, 1, 2]);
      expect(uncertain).toEqual([]);
    });
  });

  it('when the outage outlasts the lane lease, the lane is woken again at once (not left to the sweeper)', async () => {
    await withSender(1_000, async () => {
      await sendThroughLostAnswer('r-lease');
      expect(partsSent('r-lease')).toEqual([0, 1, 2]);
      expect(uncertain).toEqual([]);
    });
  });
});
