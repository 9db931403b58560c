import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Bot } from 'grammy';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Worker } from 'bullmq';
import { TelegramSender } from '../../../src/channels/telegram/outbound.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { BroadcastThrottle } from '../../../src/notices/broadcast-throttle.js';
import { startBroadcastWorker } from '../../../src/notices/broadcast-worker.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { createNoticeQueue, noticeJobId } from '../../../src/notices/notice-queue.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import { SenderNoticeTransport } from '../../../src/notices/notice-transports.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { eventNotice } from '../../helpers/event-notice.js';
import { FakeTelegramServer } from '../../helpers/fake-telegram-server.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const SUBSCRIBERS = 40;
const LOCK_MS = 2_000;

let telegram: FakeTelegramServer;
let redis: Redis;
let connection: Redis;
let prefix: string;
let bullPrefix: string;
let child: ChildProcess | undefined;
let worker: Worker | undefined;

beforeEach(async () => {
  telegram = await new FakeTelegramServer().start();
  redis = new Redis(inject('redisUrl'));
  connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const id = randomUUID().slice(0, 8);
  prefix = `notices-crash-${id}:`;
  bullPrefix = `notices-crash-bq-${id}`;
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await worker?.close();
  await telegram.stop();
  await deleteKeys(redis, prefix, `${bullPrefix}:`);
  await Promise.all([redis.quit(), connection.quit()]);
});

/** Starts the child sender process and resolves once its worker runs. */
function startChild(): Promise<ChildProcess> {
  const script = path.join(import.meta.dirname, 'broadcast-child.ts');
  const env = { ...process.env, REDIS_URL: inject('redisUrl'), NOTICE_PREFIX: prefix, BULL_PREFIX: bullPrefix, BOT_TOKEN: telegram.token, BOT_API_ROOT: telegram.url, NOTICE_RATE: '10', LOCK_MS: String(LOCK_MS) };
  const started = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    started.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(started));
    started.on('exit', (code) => reject(new Error(`the child sender exited early (${code})`)));
  });
}

async function seed(subscribers: number): Promise<{ store: NoticeStore; subscriptions: RedisNoticeSubscriptions; id: string }> {
  const subscriptions = new RedisNoticeSubscriptions(redis, prefix);
  for (let i = 0; i < subscribers; i++) await subscriptions.subscribe({ conversationKey: `telegram:${7000 + i}`, channel: 'telegram', userId: String(7000 + i), language: 'en' }, new Date(Date.now() - 60_000 + i));
  const store = new NoticeStore(redis, prefix);
  const notice = eventNotice({ title: 'Information day', startsAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: 'Africa/Lagos', link: 'https://www.example.org/day' });
  await store.create(notice);
  return { store, subscriptions, id: notice.id };
}

function inProcessWorker(store: NoticeStore, subscriptions: RedisNoticeSubscriptions, noticesPerSecond: number): Worker {
  const bot = new Bot(telegram.token, { client: { apiRoot: telegram.url }, botInfo: telegram.botInfo });
  const broadcaster = new Broadcaster(store, subscriptions, [new SenderNoticeTransport(new TelegramSender(bot.api), { platformPerSecond: 30, noticesPerSecond })], new BroadcastThrottle(redis, prefix), new I18nTranslator(Messages.create()));
  return startBroadcastWorker(connection, broadcaster, store, { bullPrefix, lockDurationMs: LOCK_MS });
}

async function untilDone(store: NoticeStore, id: string): Promise<void> {
  for (let waited = 0; (await store.get(id))!.announce.status !== 'done'; waited += 100) {
    if (waited > 30_000) throw new Error(`not finished: ${JSON.stringify((await store.get(id))!.announce)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a sender process stopped gracefully in the middle of a sending (SIGTERM)', () => {
  it('hands the sending back to the queue at once; the next process goes on with it, nobody twice, nobody left out', async () => {
    const { store, subscriptions, id } = await seed(30);
    const queue = createNoticeQueue(redis, bullPrefix);
    await queue.add('announce', { noticeId: id, kind: 'announce' }, { jobId: noticeJobId(id, 'announce') });
    const first = inProcessWorker(store, subscriptions, 10);
    await telegram.until(() => telegram.sent.length >= 8, 20_000, 'the first notices');
    const stopping = Date.now();
    await first.close();
    // The stop does not wait for the sending to end.
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(telegram.sent.length).toBeLessThan(30);
    worker = inProcessWorker(store, subscriptions, 30);
    await untilDone(store, id);
    const chats = telegram.sent.map((message) => String(message.chat_id));
    expect(new Set(chats).size).toBe(30);
    expect(chats).toHaveLength(30);
    expect((await store.get(id))!.announce).toMatchObject({ matched: 30, sent: 30, uncertain: 0 });
    await queue.close();
  });
});

describe('a sender process killed in the middle of a sending (kill -9)', () => {
  it('another process takes the sending over after the lock runs out: everyone gets the notice, nobody twice', async () => {
    const { store, subscriptions, id } = await seed(SUBSCRIBERS);
    const queue = createNoticeQueue(redis, bullPrefix);
    await queue.add('announce', { noticeId: id, kind: 'announce' }, { jobId: noticeJobId(id, 'announce') });

    child = await startChild();
    await telegram.until(() => telegram.sent.length >= 12, 20_000, 'the first notices');
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const beforeTakeover = telegram.sent.length;
    expect(beforeTakeover).toBeLessThan(SUBSCRIBERS);

    worker = inProcessWorker(store, subscriptions, 30);
    await untilDone(store, id);
    const progress = (await store.get(id))!.announce;
    const chats = telegram.sent.map((message) => String(message.chat_id));
    // Nobody twice.
    expect(new Set(chats).size).toBe(chats.length);
    // Everyone, but at most the one message that was on its way when the process died (not sent again: at most once).
    expect(progress.matched).toBe(SUBSCRIBERS);
    expect(progress.sent + progress.uncertain).toBe(SUBSCRIBERS);
    expect(progress.uncertain).toBeLessThanOrEqual(4);
    expect(chats.length).toBeGreaterThanOrEqual(SUBSCRIBERS - progress.uncertain);
    await queue.close();
  });
});
