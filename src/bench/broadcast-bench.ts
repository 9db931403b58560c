import { Redis } from 'ioredis';
import { ConversationWindow } from '../channels/whatsapp/cloud/window.js';
import { loadConfig } from '../config/config.js';
import { newConversation } from '../core/conversation.js';
import type { Language } from '../core/knowledge.js';
import { RedisConversationStore } from '../conversation/redis-stores.js';
import { createLogger } from '../infra/logger.js';
import { deleteKeys, globEscape, scanKeys } from '../infra/redis.js';
import { startLotse } from '../main.js';
import { createNoticeQueue } from '../notices/notice-queue.js';
import { NoticeService } from '../notices/notice-service.js';
import { NoticeStore } from '../notices/notice-store.js';
import { RedisNoticeSubscriptions } from '../notices/subscription-store.js';
import { FakeGraphApiServer } from '../../test/helpers/fake-graph-api-server.js';
import { FakeTelegramServer } from '../../test/helpers/fake-telegram-server.js';
import { maxInAnySecond } from '../../test/helpers/send-rates.js';
import { machineLine } from '../cli/benchmarks-file.js';
import type { Config } from '../config/config.js';
import { resolveRedis } from '../infra/local-redis.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { fmt, quantile } from './stats.js';

export interface BroadcastBenchOptions {
  redisUrl: string;
  dataDir: string;
  /** Subscribers in all (default 10,000). */
  subscribers?: number;
  /** The share of them on WhatsApp (Cloud API); the rest on Telegram (default 0.4). */
  whatsappShare?: number;
  /** The share of WhatsApp subscribers outside the 24-hour window: they get the template (default 0.1). */
  outsideWindow?: number;
  /** Platform limits and the notices' own (defaults: Telegram 30 and 25, WhatsApp 50 and 40 a second, Lotse's defaults). */
  limits?: { telegram: number; telegramNotices: number; whatsapp: number; whatsappNotices: number };
  /** Telegram users chatting with Lotse meanwhile, each asking a question every `askEveryMs` (defaults 5 and 2000). */
  chatters?: number;
  askEveryMs?: number;
  /** Questions each chatter asks without a broadcast, for the baseline (default 20). */
  baselineRounds?: number;
}

export interface PlatformFigures {
  notices: number;
  /** Messages of any kind (notices and replies) in the busiest second, against the platform's limit. */
  maxInAnySecond: number;
  limit: number;
  /** Notices in their busiest second, against their own limit. */
  maxNoticesInAnySecond: number;
  noticeLimit: number;
  /** Notices a second from the first to the last. */
  rate: number;
  seconds: number;
}

export interface BroadcastBenchResult {
  subscribers: number;
  seconds: number;
  telegram: PlatformFigures;
  whatsapp: PlatformFigures & { templates: number };
  /** Subscribers who got the notice twice, or not at all (both must be 0). */
  duplicates: number;
  missing: number;
  /** A chatting user's question (webhook) to its answer (sendMessage), without and during the broadcast. */
  replies: { baseline: Latency; during: Latency };
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LANGUAGES: Language[] = ['en', 'de', 'fr', 'ar', 'es', 'sq', 'sr', 'vi', 'ur', 'id'];
const QUESTION = 'How many points do I need for the Opportunity Card?';

/**
 * One notice announced to many subscribers (Telegram and WhatsApp Cloud, against local fake
 * servers) by the whole app in one process, while a few users chat with Lotse on Telegram: how
 * long the broadcast takes, the rate each platform saw (in its busiest second), and the chatters'
 * answer latency during the broadcast against the same chat without one.
 */
export async function benchBroadcast(options: BroadcastBenchOptions): Promise<BroadcastBenchResult> {
  const total = options.subscribers ?? 10_000;
  const limits = options.limits ?? { telegram: 30, telegramNotices: 25, whatsapp: 50, whatsappNotices: 40 };
  const chatters = options.chatters ?? 5;
  const askEveryMs = options.askEveryMs ?? 2_000;
  const telegram = await new FakeTelegramServer().start();
  telegram.record = false;
  const graph = await new FakeGraphApiServer().start();
  const id = `broadcast-${Date.now()}`;
  const keyPrefix = `bench-${id}:`;
  const bullPrefix = `bq-${id}`;
  const config = loadConfig({
    PORT: '0', DATA_DIR: options.dataDir, LOG_LEVEL: 'silent', USER_RATE_LIMIT: '0',
    TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://bench.invalid',
    TELEGRAM_RATE_LIMIT: String(limits.telegram), NOTICE_TELEGRAM_RATE_LIMIT: String(limits.telegramNotices),
    WHATSAPP_CLOUD_TOKEN: graph.token, WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId, WHATSAPP_CLOUD_APP_SECRET: 'bench-secret', WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench', WHATSAPP_GRAPH_API_URL: graph.url,
    WHATSAPP_CLOUD_RATE_LIMIT: String(limits.whatsapp), NOTICE_WHATSAPP_RATE_LIMIT: String(limits.whatsappNotices), WHATSAPP_CLOUD_NOTICE_TEMPLATE_NAME: 'lotse_event_notice',
  });
  const redis = new Redis(options.redisUrl);
  const lotse = await startLotse({ config, logger: createLogger('silent'), redisUrl: options.redisUrl, roles: { gateway: true, worker: true, sender: true }, queuePrefix: bullPrefix, keyPrefix, telegramBotInfo: telegram.botInfo });
  const queue = createNoticeQueue(redis, bullPrefix);
  try {
    // The subscribers, as opting in would have left them (one after the other).
    const subscriptions = new RedisNoticeSubscriptions(redis, keyPrefix);
    const window = new ConversationWindow(redis, keyPrefix, { windowMs: 86_400_000, warnBeforeMs: 3_600_000 });
    const onWhatsApp = Math.round(total * (options.whatsappShare ?? 0.4));
    const closed = Math.round(onWhatsApp * (options.outsideWindow ?? 0.1));
    const start = Date.now() - 3_600_000;
    let whatsappSoFar = 0;
    for (let i = 0; i < total; i++) {
      // Spread evenly: onWhatsApp of every total, and of those, closed outside the window.
      const whatsapp = (i * onWhatsApp) % total < onWhatsApp;
      const channel = whatsapp ? 'whatsapp' : 'telegram';
      const userId = whatsapp ? String(4_915_000_000_000 + i) : String(1_000_000 + i);
      await subscriptions.subscribe({ conversationKey: `${channel}:${userId}`, channel, userId, language: LANGUAGES[i % LANGUAGES.length]!, country: 'GH', audience: 'prospective' }, new Date(start + i));
      if (!whatsapp) continue;
      const outside = (whatsappSoFar++ * closed) % onWhatsApp < closed;
      await window.opened(userId, Date.now() - (outside ? 25 * 3_600_000 : 60_000));
    }
    // The chatters have agreed to the privacy notice before.
    const conversations = new RedisConversationStore(redis, { prefix: keyPrefix });
    const chatIds = Array.from({ length: chatters }, (_, i) => 900 + i);
    for (const chat of chatIds) {
      const c = newConversation(`telegram:${chat}`, 'telegram', String(chat), 'en', new Date().toISOString());
      c.consent = { ...c.consent, status: 'given', at: new Date().toISOString() };
      await conversations.save(c);
    }

    // What reached the platforms, when.
    const telegramNotices: number[] = [];
    const telegramAll: number[] = [];
    const noticeChats = new Map<string, number>();
    const asked = new Map<number, number>();
    const latencies: number[] = [];
    telegram.onSend = (message) => {
      const now = Date.now();
      telegramAll.push(now);
      const chat = Number(message.chat_id);
      if (chatIds.includes(chat)) {
        const at = asked.get(chat);
        if (at !== undefined) {
          latencies.push(performance.now() - at);
          asked.delete(chat);
        }
        return;
      }
      telegramNotices.push(now);
      noticeChats.set(`telegram:${chat}`, (noticeChats.get(`telegram:${chat}`) ?? 0) + 1);
    };
    const whatsappAll: number[] = [];
    let templates = 0;
    graph.onCall = (call) => {
      whatsappAll.push(Date.now());
      if (call.body.type === 'template') templates += 1;
      noticeChats.set(`whatsapp:${call.body.to}`, (noticeChats.get(`whatsapp:${call.body.to}`) ?? 0) + 1);
    };

    let updateId = 1;
    const ask = async (chat: number) => {
      const body = JSON.stringify({ update_id: updateId++, ...telegram.textUpdate(chat, QUESTION, updateId) });
      asked.set(chat, performance.now());
      const response = await fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'bench' }, body });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    };
    /** The chatters ask, each every askEveryMs, for `rounds` rounds or until `until` says stop; the answers' latencies. */
    const chat = async (rounds: number, until: () => boolean = () => false): Promise<number[]> => {
      latencies.length = 0;
      for (let round = 0; round < rounds && !until(); round++) {
        for (const [i, chatId] of chatIds.entries()) {
          await sleep(askEveryMs / chatIds.length);
          if (i === 0 && until()) break;
          await ask(chatId);
        }
      }
      await sleep(askEveryMs);
      return [...latencies];
    };

    // Warm-up (uncounted), then the baseline: the same chat without a broadcast.
    await chat(2);
    const baseline = await chat(options.baselineRounds ?? 20);

    const service = new NoticeService(new NoticeStore(redis, keyPrefix), queue);
    const startsAt = new Date(Date.now() + 2 * 86_400_000);
    const started = Date.now();
    const notice = await service.announce({ title: 'Virtual job fair: care and nursing', titles: {}, startsAt, timeZone: 'Africa/Accra', link: 'https://www.example.org/fair', countries: 'all', languages: 'all', audience: 'both' }, 'bench');
    const store = new NoticeStore(redis, keyPrefix);
    let finished = 0;
    let outcome: string | undefined;
    const done = () => outcome !== undefined;
    const watcher = (async () => {
      for (;;) {
        const status = (await store.get(notice.id))?.announce.status;
        if (status === 'done' || status === 'failed') {
          finished = Date.now();
          outcome = status;
          return;
        }
        await sleep(100);
      }
    })();
    const during = await chat(Number.MAX_SAFE_INTEGER, done);
    await watcher;
    if (outcome !== 'done') throw new Error(`the broadcast ended ${outcome}`);
    const seconds = (finished - started) / 1000;
    const counts = [...noticeChats.values()];
    const figures = (notices: number[], all: number[], limit: number, noticeLimit: number): PlatformFigures => {
      const span = notices.length > 1 ? (Math.max(...notices) - Math.min(...notices)) / 1000 : 0;
      return { notices: notices.length, maxInAnySecond: maxInAnySecond(all), limit, maxNoticesInAnySecond: maxInAnySecond(notices), noticeLimit, rate: span > 0 ? (notices.length - 1) / span : notices.length, seconds: span };
    };
    const pct = (values: number[]): Latency => ({ n: values.length, p50: quantile(values, 0.5), p99: quantile(values, 0.99) });
    return {
      subscribers: total,
      seconds,
      telegram: figures(telegramNotices, telegramAll, limits.telegram, limits.telegramNotices),
      whatsapp: { ...figures(whatsappAll, whatsappAll, limits.whatsapp, limits.whatsappNotices), templates },
      duplicates: counts.filter((n) => n > 1).length,
      missing: total - noticeChats.size,
      replies: { baseline: pct(baseline), during: pct(during) },
    };
  } finally {
    await queue.close();
    await lotse.stop();
    for (const prefix of [keyPrefix, `${bullPrefix}:`]) await deleteKeys(redis, await scanKeys(redis, `${globEscape(prefix)}*`));
    await redis.quit();
    await telegram.stop();
    await graph.close();
  }
}

/** The part of `npm run bench -- --part broadcast`: a private or given Redis, the knowledge index, 10,000 subscribers. */
export async function broadcastPart(config: Config, subscribers = 10_000): Promise<string> {
  await openKnowledge(config);
  const redis = await resolveRedis(config.env.REDIS_URL, config.dataDir);
  try {
    const result = await benchBroadcast({ redisUrl: redis.url, dataDir: config.dataDir, subscribers });
    console.log(`broadcast: ${result.subscribers} subscribers in ${result.seconds.toFixed(1)} s; Telegram ${result.telegram.rate.toFixed(1)}/s (busiest second ${result.telegram.maxInAnySecond}/${result.telegram.limit}), WhatsApp ${result.whatsapp.rate.toFixed(1)}/s (busiest second ${result.whatsapp.maxInAnySecond}/${result.whatsapp.limit}); replies p50 ${fmt(result.replies.baseline.p50)} → ${fmt(result.replies.during.p50)}, p99 ${fmt(result.replies.baseline.p99)} → ${fmt(result.replies.during.p99)}`);
    if (result.duplicates > 0 || result.missing > 0) throw new Error(`broadcast: ${result.duplicates} subscribers got the notice twice, ${result.missing} not at all`);
    return broadcastSection(result);
  } finally {
    await redis.stop();
  }
}

/** The BENCHMARKS.md section. */
export function broadcastSection(result: BroadcastBenchResult): string {
  const { telegram, whatsapp, replies } = result;
  const row = (name: string, p: PlatformFigures) =>
    `| ${name} | ${p.notices.toLocaleString('en')} | ${p.seconds.toFixed(1)} s | ${p.rate.toFixed(1)}/s | ${p.maxNoticesInAnySecond} (limit ${p.noticeLimit}) | ${p.maxInAnySecond} (limit ${p.limit}) |`;
  const latency = (name: string, l: Latency) => `| ${name} | ${l.n} | ${fmt(l.p50)} | ${fmt(l.p99)} |`;
  return `## Event notice broadcast

Command: \`npm run bench -- --part broadcast\`. Machine: ${machineLine()}; Redis on the same machine.
One process (gateway, worker, sender: \`npm start\`'s layout) announces one event notice to ${result.subscribers.toLocaleString('en')} subscribers:
${(telegram.notices).toLocaleString('en')} on Telegram and ${whatsapp.notices.toLocaleString('en')} on WhatsApp (Cloud API; ${whatsapp.templates.toLocaleString('en')} of them outside the 24-hour window, who get the approved
template), against local fake Bot API and Graph API servers. Lotse's default limits: Telegram 30 messages/s for the bot, notices at most 25/s;
WhatsApp 50/s for the number (\`WHATSAPP_CLOUD_RATE_LIMIT\`; Meta allows 80), notices at most 40/s. Meanwhile 5 Telegram users chat with
Lotse, each asking a question every 2 s (answered offline); their answer latency (webhook to \`sendMessage\`) during the broadcast is
compared with the same chat just before it. The busiest second is counted where the messages arrive (at the fake servers), over
every one-second window.

Total: ${result.seconds.toFixed(1)} s from the announcement to the last notice; every subscriber got it exactly once (${result.duplicates} twice, ${result.missing} missed).

| platform | notices | took | rate | notices in the busiest second | all messages in the busiest second |
|---|---:|---:|---:|---:|---:|
${row('Telegram', telegram)}
${row('WhatsApp (Cloud API)', whatsapp)}

| a chatting user's answer | answers | p50 | p99 |
|---|---:|---:|---:|
${latency('without a broadcast', replies.baseline)}
${latency('during the broadcast', replies.during)}`;
}
