import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeSubscription } from '../../../src/core/notices.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { connectRedis, type RedisConnection } from '../../../src/infra/redis.js';
import { BroadcastThrottle } from '../../../src/notices/broadcast-throttle.js';
import { startBroadcastWorker } from '../../../src/notices/broadcast-worker.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { createNoticeQueue } from '../../../src/notices/notice-queue.js';
import { NoticeService } from '../../../src/notices/notice-service.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import type { NoticeContent, NoticeDelivery, NoticeTransport } from '../../../src/notices/notice-transports.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { SendThrottle } from '../../../src/queue/send-throttle.js';
import { startRedisCluster, type LocalRedisCluster } from '../../helpers/redis-cluster.js';

class Recorder implements NoticeTransport {
  readonly channel = 'telegram';
  readonly rates = { platformPerSecond: 30, noticesPerSecond: 25 };
  readonly sent: string[] = [];
  async plan(_subscriber: NoticeSubscription, content: NoticeContent): Promise<NoticeDelivery> {
    return { kind: 'message', message: content.message };
  }
  async send(subscriber: NoticeSubscription): Promise<void> {
    this.sent.push(subscriber.conversationKey);
  }
}

let cluster: LocalRedisCluster;
let client: RedisConnection;
let workerConnection: RedisConnection;
let worker: Worker | undefined;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  client = connectRedis(cluster.url, 'client', true);
  workerConnection = connectRedis(cluster.url, 'worker', true);
}, 120_000);
afterAll(async () => {
  await worker?.close();
  await Promise.all([client?.quit(), workerConnection?.quit()]);
  await cluster?.stop();
});

describe('event notices on a Redis Cluster', () => {
  it('subscribe, announce through the queue, send within the shared rate, erase: every step within one slot', async () => {
    const subscriptions = new RedisNoticeSubscriptions(client, 'lotse:');
    for (let i = 0; i < 30; i++) await subscriptions.subscribe({ conversationKey: `telegram:${i}`, channel: 'telegram', userId: String(i), language: 'en', country: 'GH' }, new Date(Date.now() - 60_000 + i));
    await subscriptions.update('telegram:3', { language: 'fr', country: 'SN' });
    const store = new NoticeStore(client, 'lotse:');
    const recorder = new Recorder();
    // A reply takes the same rate's slots meanwhile (the outbound worker's throttle).
    await new SendThrottle(client, 'lotse:').take('telegram', 30);
    const broadcaster = new Broadcaster(store, subscriptions, [recorder], new BroadcastThrottle(client, 'lotse:'), new I18nTranslator(Messages.create()));
    worker = startBroadcastWorker(workerConnection, broadcaster, store);
    const queue = createNoticeQueue(client);
    const service = new NoticeService(store, queue, { reminderLeadMs: 60_000 });
    const notice = await service.announce({ title: 'Job fair', titles: {}, startsAt: new Date(Date.now() + 3_600_000), timeZone: 'Africa/Accra', link: 'https://www.example.org/f', countries: ['GH'], languages: 'all', audience: 'both' }, 'staff1');
    for (let waited = 0; (await store.get(notice.id))!.announce.status !== 'done'; waited += 100) {
      if (waited > 20_000) throw new Error('not sent');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recorder.sent).toHaveLength(29);
    expect(recorder.sent).not.toContain('telegram:3');
    expect((await service.cancel(notice.id, 'staff1')).ok).toBe(true);
    await subscriptions.erase('telegram:0');
    expect(await subscriptions.export('telegram:0')).toBeUndefined();
    await queue.close();
  });
});
