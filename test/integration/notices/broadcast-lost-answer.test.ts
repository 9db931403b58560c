import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NoticeSubscription } from '../../../src/core/notices.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { createRedis } from '../../../src/infra/redis.js';
import { BroadcastThrottle } from '../../../src/notices/broadcast-throttle.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import type { NoticeContent, NoticeDelivery, NoticeTransport } from '../../../src/notices/notice-transports.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { eventNotice } from '../../helpers/event-notice.js';
import { RedisAnswerDropper } from '../../helpers/redis-answer-dropper.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

// The notices' twin of the sender's lost "sending" mark: Redis loses its answer to the move of a
// subscriber to "sending", and stays down long enough for the client to give up. The run fails
// before any platform call; the next run must send to that subscriber, not count them uncertain.
const prefix = `notices-lost-${randomUUID().slice(0, 8)}:`;
const direct = createRedis(inject('redisUrl'), 'client');
let dropper: RedisAnswerDropper;

class CountingTransport implements NoticeTransport {
  readonly channel = 'telegram';
  readonly rates = { platformPerSecond: 1000, noticesPerSecond: 1000 };
  readonly sent: string[] = [];
  async plan(_subscriber: NoticeSubscription, content: NoticeContent): Promise<NoticeDelivery> {
    return { kind: 'message', message: content.message };
  }
  async send(subscriber: NoticeSubscription): Promise<void> {
    this.sent.push(subscriber.conversationKey);
  }
}

beforeAll(async () => {
  dropper = await RedisAnswerDropper.start(inject('redisUrl'));
});
afterAll(async () => {
  await dropper.close();
  await deleteKeys(direct, prefix);
  await direct.quit();
});

describe('a notice when Redis loses the answer to a "sending" move', () => {
  it('the subscriber is moved back to waiting and gets the notice on the next run, once', async () => {
    const client = createRedis(dropper.url, 'client');
    client.on('error', () => undefined);
    try {
      const store = new NoticeStore(client, prefix);
      const subscriptions = new RedisNoticeSubscriptions(client, prefix);
      const transport = new CountingTransport();
      const broadcaster = new Broadcaster(store, subscriptions, [transport], new BroadcastThrottle(client, prefix), new I18nTranslator(Messages.create()), { backoffMs: () => 20 });
      const notice = eventNotice({ title: 'Online training: German for nurses', startsAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: 'Africa/Accra', link: 'https://www.example.org/training' });
      await store.create(notice);
      const { id } = notice;
      await subscriptions.subscribe({ conversationKey: 'telegram:77', channel: 'telegram', userId: '77', language: 'en' }, new Date());

      // The argument "sending" as RESP sends it (the script's own text has it in quotes).
      const lost = dropper.loseAnswerTo('$7\r\nsending\r\n');
      await expect(broadcaster.run(id, 'announce')).rejects.toThrow();
      expect(await lost).toContain('ok');
      expect(transport.sent).toEqual([]);

      expect(await broadcaster.run(id, 'announce')).toBe('done');
      expect(transport.sent).toEqual(['telegram:77']);
      expect((await store.get(id))!.announce).toMatchObject({ status: 'done', sent: 1, uncertain: 0 });
    } finally {
      client.disconnect();
    }
  });
});
