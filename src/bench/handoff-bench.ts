import { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import { newConversation } from '../core/conversation.js';
import { RedisConversationStore } from '../conversation/redis-stores.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from '../main.js';
import { FakeSlackServer } from '../../test/helpers/fake-slack-server.js';
import { FakeTelegramServer } from '../../test/helpers/fake-telegram-server.js';
import { quantile } from './stats.js';

export interface HandoffResult {
  cases: number;
  /** Telegram webhook accepted → the case posted in Slack (chat.postMessage received by the fake Web API). */
  escalation: { p50: number; p99: number };
  /** Signed thread reply accepted at /slack/events → sendMessage received by the fake Bot API. */
  reply: { p50: number; p99: number };
  /** The baseline in the same run: a question answered by the bot (webhook → sendMessage). */
  answer: { p50: number; p99: number };
}

const SECRET = 'bench-signing-secret';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Handoff latency in one process (`npm start`'s layout): users on Telegram (webhook) escalate, the
 * case is posted in Slack; advisors reply in the thread, the reply reaches Telegram. Paced at
 * `perSecond`, so this measures latency, not a queue filling up.
 */
export async function benchHandoff(redisUrl: string, dataDir: string, cases = 100, perSecond = 10): Promise<HandoffResult> {
  const telegram = await new FakeTelegramServer().start();
  telegram.record = false;
  const slack = await new FakeSlackServer().start();
  const id = `handoff-${Date.now()}`;
  const keyPrefix = `bench-${id}:`;
  const config = loadConfig({
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://bench.invalid',
    TELEGRAM_RATE_LIMIT: '100000', TELEGRAM_CHAT_RATE_LIMIT: '1000', USER_RATE_LIMIT: '0',
    SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ADVISOR_CHANNEL: 'C_BENCH',
  });
  const lotse = await startLotse({ config, logger: createLogger('silent'), redisUrl, roles: { gateway: true, worker: true, sender: true }, queuePrefix: `bq-${id}`, keyPrefix, telegramBotInfo: telegram.botInfo });
  const redis = new Redis(redisUrl);
  try {
    const store = new RedisConversationStore(redis, { prefix: keyPrefix });
    const now = new Date().toISOString();
    for (let chat = 1; chat <= cases; chat++) {
      const c = newConversation(`telegram:${chat}`, 'telegram', String(chat), 'en', now);
      c.consent = { ...c.consent, status: 'given', at: now };
      await store.save(c);
    }
    const posted = new Map<string, number>();
    slack.onCall = (method, args) => {
      const text = JSON.stringify(args);
      const ref = /ref-(\d+)-x/.exec(text)?.[1];
      if (method === 'chat.postMessage' && !args.thread_ts && ref && !posted.has(ref)) posted.set(ref, performance.now());
    };
    const delivered = new Map<string, number>();
    telegram.onSend = (message) => {
      const ref = /reply-(\d+)-y/.exec(message.text)?.[1] ?? (/Opportunity Card/.test(message.text) ? `answer-${message.chat_id}` : undefined);
      if (ref && !delivered.has(ref)) delivered.set(ref, performance.now());
    };
    let updateId = 1;
    const post = async (chat: number, text: string) => {
      const response = await fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'bench' }, body: JSON.stringify({ update_id: updateId++, ...telegram.textUpdate(chat, text, updateId) }) });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    };
    const waitFor = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`handoff bench: timed out waiting for ${what}`);
        await sleep(2);
      }
    };

    // The baseline: a question answered by the bot, at the same pace.
    const answerLatency: number[] = [];
    for (let chat = 1; chat <= cases; chat++) {
      const started = performance.now();
      await post(chat, 'How many points do I need for the Opportunity Card?');
      void waitFor(() => delivered.has(`answer-${chat}`), 'an answer').then(() => answerLatency.push(delivered.get(`answer-${chat}`)! - started));
      await sleep(1000 / perSecond);
    }
    await waitFor(() => answerLatency.length === cases, 'all answers');

    // Escalation: webhook → the case in Slack.
    const escalation: number[] = [];
    for (let chat = 1; chat <= cases; chat++) {
      const started = performance.now();
      await post(chat, `I want to talk to a human advisor please ref-${chat}-x`);
      void waitFor(() => posted.has(String(chat)), 'a case post').then(() => escalation.push(posted.get(String(chat))! - started));
      await sleep(1000 / perSecond);
    }
    await waitFor(() => escalation.length === cases, 'all case posts');

    // Advisor reply: a signed thread reply → the user's Telegram.
    const open = await lotse.handoff.list(['default']);
    for (const c of open) await lotse.handoff.claim(c.id, { id: 'U_BENCH', name: 'Bench', via: 'slack' });
    await sleep(500);
    const reply: number[] = [];
    for (const c of open) {
      const chat = c.userId;
      const event = slack.eventCallback(slack.messageEvent({ channel: 'C_BENCH', user: 'U_BENCH', text: `Here is your answer reply-${chat}-y`, thread_ts: c.slack!.ts }));
      const started = performance.now();
      const response = await FakeSlackServer.signedPost(`${lotse.url}/slack/events`, event, { secret: SECRET });
      if (response.status !== 200) throw new Error(`/slack/events answered ${response.status}`);
      void waitFor(() => delivered.has(chat), 'an advisor reply').then(() => reply.push(delivered.get(chat)! - started));
      await sleep(1000 / perSecond);
    }
    await waitFor(() => reply.length === open.length, 'all advisor replies');
    const pct = (values: number[]) => ({ p50: quantile(values, 0.5), p99: quantile(values, 0.99) });
    return { cases, escalation: pct(escalation), reply: pct(reply), answer: pct(answerLatency) };
  } finally {
    await lotse.stop();
    for (const pattern of [`${keyPrefix}*`, `bq-${id}:*`]) {
      const keys = await redis.keys(pattern);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    await redis.quit();
    await telegram.stop();
    await slack.stop();
  }
}
