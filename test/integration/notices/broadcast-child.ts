/**
 * A sender process for the crash test: runs the event notices' worker against a fake Bot API until
 * the test kills it with SIGKILL. Settings come from the environment the test gives it.
 */
import { Bot } from 'grammy';
import { Redis } from 'ioredis';
import { TelegramSender } from '../../../src/channels/telegram/outbound.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { BroadcastThrottle } from '../../../src/notices/broadcast-throttle.js';
import { startBroadcastWorker } from '../../../src/notices/broadcast-worker.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import { SenderNoticeTransport } from '../../../src/notices/notice-transports.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';

const env = process.env;
const client = new Redis(env.REDIS_URL!);
const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
const prefix = env.NOTICE_PREFIX!;
const store = new NoticeStore(client, prefix);
const bot = new Bot(env.BOT_TOKEN!, { client: { apiRoot: env.BOT_API_ROOT }, botInfo: { id: 1, is_bot: true, first_name: 'Lotse', username: 'lotse_test_bot' } as never });
const transport = new SenderNoticeTransport(new TelegramSender(bot.api), { platformPerSecond: 30, noticesPerSecond: Number(env.NOTICE_RATE) });
const broadcaster = new Broadcaster(store, new RedisNoticeSubscriptions(client, prefix), [transport], new BroadcastThrottle(client, prefix), new I18nTranslator(Messages.create()), { concurrency: 4 });
startBroadcastWorker(connection, broadcaster, store, { bullPrefix: env.BULL_PREFIX, lockDurationMs: Number(env.LOCK_MS) });
process.stdout.write('ready\n');
