import { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import type { HandleMessage } from '../core/conversation-pipeline.js';
import { newConversation } from '../core/conversation.js';
import { RedisConversationStore } from '../conversation/redis-stores.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from '../main.js';
import type { MessageQueues } from '../queue/message-queues.js';
import { FakeTelegramServer } from '../../test/helpers/fake-telegram-server.js';
import { quantile } from './stats.js';

export interface PipelineResult {
  name: string;
  messages: number;
  throughput: number;
  rate: number;
  p50: number;
  p99: number;
}

/** The questions users ask, in eight of the ten languages (the memory bench asks them too). */
export const QUESTIONS = [
  'How many points do I need for the Opportunity Card?',
  'What salary do I need for the EU Blue Card in 2026?',
  'How do I get my diploma recognised in Germany?',
  'Wie viele Punkte brauche ich für die Chancenkarte?',
  'Combien coûte la reconnaissance de mon diplôme ?',
  'كم نقطة أحتاج لبطاقة الفرص؟',
  '¿Qué nivel de alemán necesito para una formación profesional?',
  'Sa pikë më duhen për kartën e mundësive?',
];

/** The echo: the same two queue hops, no work — one canned reply per message. */
const echo = (queues: MessageQueues): HandleMessage => async (message) => {
  const reply = { id: `${message.id}:0`, channel: message.channel, userId: message.userId, text: 'ok', language: 'en' as const, direction: 'ltr' as const };
  await queues.deliver([reply]);
  return { replies: [reply], duplicate: false, erased: false };
};

/**
 * Messages per second end to end (Telegram webhook in, sendMessage out on the local fake Bot API)
 * and p50/p99 latency at half that rate, for the whole pipeline with offline answers or for the echo.
 */
export async function benchPipeline(name: 'lotse' | 'echo', redisUrl: string, dataDir: string, counts = { burst: 1000, rateSeconds: 10 }): Promise<PipelineResult> {
  const telegram = await new FakeTelegramServer().start();
  telegram.record = false;
  const id = `${name}-${Date.now()}`;
  const keyPrefix = `bench-${id}:`;
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://bench.invalid', TELEGRAM_RATE_LIMIT: '100000', USER_RATE_LIMIT: '0' });
  const lotse = await startLotse({ config, logger: createLogger('silent'), redisUrl, roles: { gateway: true, worker: true, sender: true }, queuePrefix: `bq-${id}`, keyPrefix, telegramBotInfo: telegram.botInfo, handle: name === 'echo' ? echo : undefined });
  const redis = new Redis(redisUrl);
  const store = new RedisConversationStore(redis, { prefix: keyPrefix });
  const total = counts.burst + 100 * counts.rateSeconds;
  // Users who agreed to the privacy notice already: every message is a question to answer.
  const now = new Date().toISOString();
  for (let chat = 1; chat <= total; chat++) {
    const c = newConversation(`telegram:${chat}`, 'telegram', String(chat), 'en', now);
    c.consent = { ...c.consent, status: 'given', at: now };
    await store.save(c);
  }
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let received = 0;
  telegram.onSend = (message) => {
    received += 1;
    const started = sentAt.get(Number(message.chat_id));
    if (started !== undefined) latencies.push(performance.now() - started);
  };
  let nextChat = 1;
  const post = async () => {
    const chat = nextChat++;
    const update = { update_id: chat, ...telegram.textUpdate(chat, QUESTIONS[chat % QUESTIONS.length]!, chat) };
    sentAt.set(chat, performance.now());
    const response = await fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'bench' }, body: JSON.stringify(update) });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
  const waitFor = async (count: number) => {
    const deadline = Date.now() + 300_000;
    while (received < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    if (received < count) throw new Error(`${name}: only ${received} of ${count} replies arrived`);
  };

  // 1. Maximum throughput: a burst, 32 webhook calls in flight.
  const burstStart = performance.now();
  let posted = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (posted < counts.burst) {
      posted += 1;
      await post();
    }
  }));
  await waitFor(counts.burst);
  const throughput = counts.burst / ((performance.now() - burstStart) / 1000);

  // 2. Latency at half the maximum rate, at a steady pace.
  latencies.length = 0;
  const rate = throughput / 2;
  const messages = Math.min(100 * counts.rateSeconds, Math.round(rate * counts.rateSeconds));
  const paceStart = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < messages; i++) {
    const due = paceStart + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(post());
  }
  await Promise.all(inFlight);
  await waitFor(counts.burst + messages);
  const result = { name, messages: counts.burst + messages, throughput, rate, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };

  await lotse.stop();
  const keys = await redis.keys(`${keyPrefix}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  const queueKeys = await redis.keys(`bq-${id}:*`);
  for (let i = 0; i < queueKeys.length; i += 500) await redis.del(...queueKeys.slice(i, i + 500));
  await redis.quit();
  await telegram.stop();
  return result;
}
