import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/case.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { sample } from '../helpers/prometheus-text.js';
import { runLotse } from '../helpers/running-lotse.js';

/** A Telegram user: their chat id and words must appear nowhere in the scrape. */
const CHAT = 770_912_345;
const QUESTION = 'How many points do I need for the Opportunity Card?';

let telegram: FakeTelegramServer;
let lotse: Awaited<ReturnType<typeof runLotse>>;
let cases: Case[] = [];

const scrape = async () => (await fetch(`${lotse.url}/metrics`)).text();

beforeAll(async () => {
  telegram = await new FakeTelegramServer().start();
  lotse = await runLotse({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url }, undefined, { telegramBotInfo: telegram.botInfo, backoffMs: () => 200 });
  // The privacy notice goes out after a 429 and a 502 (both retried).
  telegram.rateLimit = { count: 1, retryAfter: 1 };
  telegram.serverErrors = 1;
  telegram.pushUpdate(telegram.textUpdate(CHAT, 'Hello'));
  await telegram.until(() => telegram.messagesTo(CHAT).length === 1, 20_000, 'the privacy notice');
  telegram.pushUpdate(telegram.callbackUpdate(CHAT, 'choice:yes'));
  await telegram.until(() => telegram.messagesTo(CHAT).length === 2, 15_000, 'the consent confirmation');
  telegram.pushUpdate(telegram.textUpdate(CHAT, QUESTION));
  await telegram.until(() => telegram.messagesTo(CHAT).length === 3, 15_000, 'the answer');
  telegram.pushUpdate(telegram.callbackUpdate(CHAT, 'cmd:advisor'));
  await telegram.until(() => telegram.messagesTo(CHAT).length === 4, 15_000, 'the handoff notice');
  const [opened] = await lotse.handoff.list(['default']);
  // An advisor claims the user's case; two more cases wait past their pool's SLA: one is reminded, one given up.
  expect((await lotse.handoff.claim(opened!.id, { id: 'amira', name: 'Amira', via: 'console' })).ok).toBe(true);
  await telegram.until(() => telegram.messagesTo(CHAT).length === 5, 15_000, 'the claim notice');
  const waiting = (n: number) => lotse.handoff.open({ conversationKey: `web:waiting-${n}`, channel: 'web', userId: `waiting-${n}`, language: 'en', reason: 'sensitive', priority: 'high', brief: 'Asks about a refused visa.' });
  const reminded = await waiting(1);
  const expired = await waiting(2);
  expect(await lotse.handoff.slaDue(reminded.id, 1)).toBe('reminded');
  expect(await lotse.handoff.slaDue(expired.id, 2, new Date(Date.parse(expired.createdAt) + 2_880 * 60_000))).toBe('expired');
  cases = [opened!, reminded, expired];
});

afterAll(async () => {
  await lotse?.cleanup();
  await telegram?.stop();
});

describe('/metrics after a conversation and a handoff through the whole app', () => {
  it('counts messages, sends and their failures, turn and reply times, retrieval confidence and the escalation', async () => {
    const text = await scrape();
    expect(sample(text, 'lotse_inbound_messages_total', { channel: 'telegram' })).toBe(4);
    expect(sample(text, 'lotse_outbound_messages_total', { channel: 'telegram' })).toBe(5);
    expect(sample(text, 'lotse_send_failures_total', { channel: 'telegram', error: 'rate_limited' })).toBe(1);
    expect(sample(text, 'lotse_send_failures_total', { channel: 'telegram', error: 'server' })).toBe(1);
    expect(sample(text, 'lotse_turn_seconds_count', { channel: 'telegram' })).toBe(4);
    // Each of the four messages got its first reply; the first one waited out a 429 (1 s) and a 502.
    expect(sample(text, 'lotse_reply_seconds_count', { channel: 'telegram' })).toBe(4);
    expect(sample(text, 'lotse_reply_seconds_bucket', { channel: 'telegram', le: '0.25' })).toBeLessThan(4);
    expect(sample(text, 'lotse_retrieval_confidence_count', { outcome: 'answered' })).toBe(1);
    const confidence = sample(text, 'lotse_retrieval_confidence_sum', { outcome: 'answered' })!;
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(1);
    expect(sample(text, 'lotse_escalations_total', { reason: 'user_request', danger: 'none' })).toBe(1);
  });

  it('counts the claim’s wait and the SLA breaches per pool, and reads cases, queues and lanes from Redis', async () => {
    const text = await scrape();
    expect(sample(text, 'lotse_case_wait_seconds_count', { pool: 'default' })).toBe(1);
    expect(sample(text, 'lotse_case_wait_seconds_sum', { pool: 'default' })).toBeLessThan(60);
    expect(sample(text, 'lotse_sla_breaches_total', { pool: 'default', kind: 'reminder' })).toBe(1);
    expect(sample(text, 'lotse_sla_breaches_total', { pool: 'default', kind: 'expired' })).toBe(1);
    expect(sample(text, 'lotse_redis_gauges_up')).toBe(1);
    expect(sample(text, 'lotse_cases', { pool: 'default', status: 'claimed' })).toBe(1);
    expect(sample(text, 'lotse_cases', { pool: 'default', status: 'open' })).toBe(1);
    expect(sample(text, 'lotse_case_oldest_wait_seconds', { pool: 'default' })).toBeGreaterThanOrEqual(0);
    for (const queue of ['inbound', 'outbound', 'typing', 'handoff-sla', 'advisor-notices', 'event-notices']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(sample(text, 'lotse_queue_jobs', { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
    }
    // The claimed case's and the reminded case's next SLA timers wait.
    expect(sample(text, 'lotse_queue_jobs', { queue: 'handoff-sla', state: 'delayed' })).toBeGreaterThanOrEqual(2);
    for (const lanes of ['inbound', 'outbound', 'advisor-notices']) {
      expect(sample(text, 'lotse_lane_backlog_lanes', { lanes }), lanes).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'lotse_lane_backlog_items', { lanes }), lanes).toBeGreaterThanOrEqual(0);
    }
    // Every message was handled: the conversation's inbound lane is empty (the sweeper forgets it later).
    expect(sample(text, 'lotse_lane_backlog_lanes', { lanes: 'inbound' })).toBe(1);
    expect(sample(text, 'lotse_lane_backlog_items', { lanes: 'inbound' })).toBe(0);
  });

  it('carries no chat id, user id, case id or text anywhere, and only label values from fixed sets', async () => {
    const text = await scrape();
    for (const secret of [String(CHAT), QUESTION, 'Opportunity', 'Hello', 'amira', 'Amira', 'waiting-1', 'refused visa', ...cases.map((c) => c.id)]) expect(text, secret).not.toContain(secret);
    const allowed: Record<string, RegExp> = {
      channel: /^(telegram|whatsapp|web|cli|other)$/,
      error: /^(rate_limited|blocked|bad_request|token|timeout|server|network|not_ready|other)$/,
      reason: /^(user_request|low_confidence|sensitive|safety|other)$/,
      danger: /^(none|unknown|other|[a-z_]+)$/,
      outcome: /^(answered|unanswered|escalated|other)$/,
      pool: /^(default|other)$/,
      kind: /^(reminder|expired)$/,
      status: /^(open|claimed)$/,
      state: /^(waiting|active|delayed|failed)$/,
      queue: /^(inbound|outbound|typing|handoff-sla|advisor-notices|event-notices|inbound-dead|outbound-dead)$/,
      lanes: /^(inbound|outbound|advisor-notices)$/,
      le: /^[\d.e+]+|\+Inf$/,
    };
    for (const line of text.split('\n').filter((l) => /^lotse_(?!process_|nodejs_)/.test(l))) {
      for (const [, key, value] of line.matchAll(/(\w+)="([^"]*)"/g)) {
        expect(allowed[key!], `label ${key} in ${line}`).toBeDefined();
        expect(value, line).toMatch(allowed[key!]!);
      }
    }
  });
});

describe('METRICS_PORT', () => {
  it('makes a process without the gateway serve its own counters at /metrics, and nothing else', async () => {
    const sender = await runLotse({ METRICS_PORT: '0' }, { gateway: false, worker: false, sender: true });
    try {
      expect(sender.url).toBeUndefined();
      const response = await fetch(sender.metricsUrl!);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('# TYPE lotse_outbound_messages_total counter');
      // The gauges read from Redis are the gateway's alone (every process would report the same numbers).
      expect(text).not.toContain('lotse_redis_gauges_up');
      expect((await fetch(sender.metricsUrl!.replace('/metrics', '/healthz'))).status).toBe(404);
    } finally {
      await sender.cleanup();
    }
    // The gateway serves /metrics on its own port.
    expect(lotse.metricsUrl).toBeUndefined();
  });
});

describe('METRICS_TOKEN', () => {
  const token = 'metrics-token-for-the-e2e-test-0123456789';
  const read = (url: string, authorization?: string) => fetch(url, authorization ? { headers: { authorization } } : {});

  it('lets only a scrape with the bearer token read /metrics, on the gateway and on METRICS_PORT', async () => {
    const gateway = await runLotse({ METRICS_TOKEN: token }, { gateway: true, worker: false, sender: false });
    const sender = await runLotse({ METRICS_PORT: '0', METRICS_TOKEN: token }, { gateway: false, worker: false, sender: true });
    try {
      for (const url of [`${gateway.url}/metrics`, sender.metricsUrl!]) {
        for (const refused of [undefined, 'Bearer wrong-token', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, `Bearer ${token}x`]) {
          const response = await read(url, refused);
          expect(response.status, `${url} ${refused}`).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer');
          const body = await response.text();
          expect(body).toContain('METRICS_TOKEN');
          expect(body).not.toContain('lotse_');
        }
        const allowed = await read(url, `Bearer ${token}`);
        expect(allowed.status).toBe(200);
        expect(await allowed.text()).toContain('# TYPE lotse_outbound_messages_total counter');
      }
      // Health and readiness stay open: a load balancer sends no token.
      expect((await read(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await sender.cleanup();
      await gateway.cleanup();
    }
  });
});
