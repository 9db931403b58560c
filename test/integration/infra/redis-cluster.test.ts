import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConversationWindow } from '../../../src/channels/whatsapp/cloud/window.js';
import { loadConfig } from '../../../src/config/config.js';
import type { AdvisorRef, Case, CaseEvent } from '../../../src/core/case.js';
import { newConversation } from '../../../src/core/conversation.js';
import { RedisConversationStore } from '../../../src/conversation/redis-stores.js';
import type { AdvisorTransport } from '../../../src/handoff/handoff-api.js';
import { AdvisorAccounts } from '../../../src/handoff/advisors/console/accounts.js';
import { ConsoleSessions } from '../../../src/handoff/advisors/console/sessions.js';
import { SignInLimits } from '../../../src/handoff/advisors/console/sign-in-limits.js';
import { createLogger } from '../../../src/infra/logger.js';
import { asRedis, connectRedis, detectCluster, hashTag, isCluster, scanKeys, type RedisConnection } from '../../../src/infra/redis.js';
import { bullQueueName } from '../../../src/queue/queue-names.js';
import { startLotse, type Roles } from '../../../src/main.js';
import { LaneKeys } from '../../../src/queue/lanes/lane-keys.js';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { FakeTelegramServer } from '../../helpers/fake-telegram-server.js';
import { startRedisCluster, type LocalRedisCluster } from '../../helpers/redis-cluster.js';
import { echoMarker, markersIn, QUESTIONS } from '../../faults/harness/questions.js';
import { openEvents } from '../channels/web-chat-harness.js';

/**
 * The whole app on a three-master Redis Cluster: two gateways, two conversation workers and two
 * senders (each its own Lotse instance, all on the default key prefixes), Telegram by webhook to a
 * local fake Bot API, every answer from a fake LLM that echoes the question's marker.
 */

class RecordingTransport implements AdvisorTransport {
  readonly name = 'recording';
  readonly seen: { caseId: string; event: CaseEvent }[] = [];
  async notify(c: Case, event: CaseEvent) {
    this.seen.push({ caseId: c.id, event });
  }
}

const SECRET = 'cluster-test';
const amal: AdvisorRef = { id: 'amal', name: 'Amal', via: 'console' };
let cluster: LocalRedisCluster;
let telegram: FakeTelegramServer;
let openai: FakeOpenAiServer;
let redis: RedisConnection;
const transport = new RecordingTransport();
const instances: Awaited<ReturnType<typeof startLotse>>[] = [];
let gateways: string[] = [];
let nextUpdate = 1;

const texts = (chat: number) => telegram.messagesTo(chat).map((m) => m.text);
async function post(chat: number, update: Record<string, unknown>): Promise<void> {
  const url = gateways[chat % gateways.length]!;
  const response = await fetch(`${url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify({ update_id: nextUpdate++, ...update }) });
  expect(response.status).toBe(200);
}
async function say(chat: number, text: string, replies = 1, action?: string): Promise<string[]> {
  const before = telegram.messagesTo(chat).length;
  await post(chat, action ? telegram.callbackUpdate(chat, action) : telegram.textUpdate(chat, text));
  if (replies > 0) await telegram.until(() => telegram.messagesTo(chat).length >= before + replies, 15_000, `${replies} replies to "${text || action}" in chat ${chat}`);
  return texts(chat).slice(before);
}
const consent = async (chat: number) => {
  await say(chat, 'Hello');
  await say(chat, '', 1, 'choice:yes');
};

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  telegram = await new FakeTelegramServer().start();
  openai = await new FakeOpenAiServer().start();
  openai.respond = (request) => echoMarker(request);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.dirname(inject('indexDir')),
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    PUBLIC_URL: 'https://lotse.invalid',
    TELEGRAM_CHAT_RATE_LIMIT: '100',
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: 'test',
  });
  const start = (roles: Roles) => startLotse({ config, logger: createLogger('silent'), redisUrl: cluster.url, roles, leaseMs: 3_000, telegramBotInfo: telegram.botInfo, advisorTransports: [transport] });
  const only = (role: keyof Roles): Roles => ({ gateway: role === 'gateway', worker: role === 'worker', sender: role === 'sender' });
  for (const role of ['gateway', 'gateway', 'worker', 'worker', 'sender', 'sender'] as const) instances.push(await start(only(role)));
  gateways = instances.flatMap((lotse) => (lotse.url ? [lotse.url] : []));
  redis = connectRedis(cluster.url, 'client', true);
}, 120_000);

afterAll(async () => {
  for (const lotse of instances) await lotse.stop();
  await redis?.quit();
  await telegram?.stop();
  await openai?.stop();
  await cluster?.stop();
});

describe('Lotse on a Redis Cluster', () => {
  it('is found to be a cluster from REDIS_URL alone, and every connection is a cluster client', async () => {
    expect(await detectCluster(cluster.url)).toBe(true);
    expect(await detectCluster(inject('redisUrl'))).toBe(false);
    expect(isCluster(redis)).toBe(true);
    expect(gateways).toHaveLength(2);
  });

  it('answers many conversations, each message exactly once and in order, across gateways, workers and senders', async () => {
    const chats = Array.from({ length: 16 }, (_, i) => 7000 + i);
    await Promise.all(chats.map((chat) => consent(chat)));
    const asked = 4;
    const markerOf = (chat: number, q: number) => `ref c${chat}-q${q}`;
    await Promise.all(
      chats.map(async (chat) => {
        for (let q = 0; q < asked; q++) await post(chat, telegram.textUpdate(chat, `${QUESTIONS[(chat + q) % QUESTIONS.length]} (${markerOf(chat, q)})`));
      }),
    );
    const answered = (chat: number) => texts(chat).flatMap((text) => markersIn(text));
    await telegram.until(() => chats.every((chat) => answered(chat).length >= asked), 30_000, 'every question answered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const chat of chats) expect(answered(chat), `chat ${chat}`).toEqual(Array.from({ length: asked }, (_, q) => markerOf(chat, q)));
  });

  it('opens a case and hands it to an advisor: claim, relay both ways, resolve', async () => {
    const chat = 7100;
    await consent(chat);
    const asked = await say(chat, 'I want to talk to an advisor', 2);
    expect(asked.at(-1)).toMatch(/Expected wait/);
    const [open] = await instances[0]!.handoff.list(['default']);
    expect(open).toMatchObject({ status: 'open', userId: String(chat) });
    expect((await instances[2]!.handoff.claim(open!.id, amal)).ok).toBe(true);
    await telegram.until(() => texts(chat).some((t) => /Amal, an advisor, is now with you/.test(t)), 10_000, 'the claim notice');
    await say(chat, 'My recognition was refused, what can I do?', 0);
    await expect.poll(async () => (await instances[1]!.handoff.events(open!.id)).map((e) => e.type), { timeout: 10_000 }).toContain('user_message');
    expect((await instances[1]!.handoff.reply(open!.id, amal, 'You can appeal within one month.', 'm-1')).ok).toBe(true);
    await telegram.until(() => texts(chat).some((t) => t.includes('appeal within one month')), 10_000, 'the advisor reply');
    expect((await instances[0]!.handoff.resolve(open!.id, amal, 'answered')).ok).toBe(true);
    await telegram.until(() => texts(chat).some((t) => /closed your case/.test(t)), 10_000, 'the hand-back');
    await expect.poll(() => transport.seen.filter((s) => s.caseId === open!.id).map((s) => s.event.type), { timeout: 10_000 }).toEqual(['opened', 'claimed', 'user_message', 'advisor_message', 'resolved']);
  });

  it('erases a user: conversation, markers, cases and lanes, on whichever master they lie', async () => {
    const chat = 7200;
    await consent(chat);
    await say(chat, `${QUESTIONS[0]} (ref c${chat}-q0)`);
    await say(chat, 'advisor', 2);
    const key = `telegram:${chat}`;
    const opened = (await instances[0]!.handoff.list(['default'])).find((c) => c.userId === String(chat));
    expect(opened).toBeDefined();
    expect(await redis.exists(`lotse:conv:${key}`)).toBe(1);
    expect(await scanKeys(redis, `lotse:seen:${key}:*`)).not.toEqual([]);
    const erased = await say(chat, 'delete');
    expect(erased.join('\n')).toMatch(/deleted|erased/i);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await redis.exists(`lotse:conv:${key}`)).toBe(0);
    expect(await scanKeys(redis, `lotse:seen:${key}:*`)).toEqual([]);
    expect(await scanKeys(redis, `lotse:*${chat}*`)).toEqual([]);
    expect(await scanKeys(redis, `lotse:case:{${opened!.id}}*`)).toEqual([]);
    expect(await instances[0]!.handoff.get(opened!.id)).toBeUndefined();
    // Of the lanes, only the inbound lane's own state may stay (the erasure ran inside its turn), and
    // the outbound lane's markers of the replies to "delete" itself (the confirmation and the new
    // privacy notice), kept as hashes that do not name the chat: no other marker, no reply.
    const outbound = new LaneKeys('lotse:', 'out', key);
    const inbound = new LaneKeys('lotse:', 'in', key);
    for (const left of await scanKeys(redis, outbound.pattern)) expect(left).toBe(outbound.seen);
    const replyIds = await redis.zrange(outbound.seen, 0, -1);
    expect(replyIds.length).toBeLessThanOrEqual(2);
    for (const id of replyIds) expect(id).toMatch(/^[0-9a-f]{24}$/);
    for (const left of await scanKeys(redis, inbound.pattern)) expect([inbound.items, inbound.meta, inbound.lock]).toContain(left);
  });

  it('streams web chat replies through the cluster: a message to one gateway, its reply on the other\'s event stream', async () => {
    const issued = await fetch(`${gateways[0]}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = issued.headers.getSetCookie()[0]!.split(';')[0]!;
    const events = openEvents(gateways[1]!, { cookie });
    try {
      expect((await events.response).status).toBe(200);
      const posted = await fetch(`${gateways[0]}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ id: 'm1', text: 'Hello' }) });
      expect(posted.status).toBe(202);
      const [notice] = await events.waitFor(1, 15_000);
      expect(notice).toMatchObject({ event: 'reply' });
      expect(JSON.parse(notice!.data).text).toMatch(/privacy/i);
    } finally {
      events.close();
    }
  });

  it('spreads keys over the masters: lanes per conversation, each queue in a slot of its own', async () => {
    if (!isCluster(redis)) throw new Error('not a cluster connection');
    const masters = redis.nodes('master');
    expect(masters).toHaveLength(3);
    const counts = await Promise.all(masters.map(async (node) => (await node.keys('lotse:*')).length));
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    // BullMQ's keys carry their queue's name as the hash tag.
    const bull = (await scanKeys(redis, 'bull:*')).map((k) => /^bull:\{([^}]+)\}:/.exec(k)?.[1]);
    expect(bull).not.toContain(undefined);
    expect(new Set(bull)).toEqual(new Set(['inbound', 'outbound', 'handoff-sla', 'advisor-notices', 'typing', 'event-notices'].filter((q) => bull.includes(q))));
    expect(new Set(bull).size).toBeGreaterThanOrEqual(3);
  });

  it('reads a conversation saved deflated (the next version\'s format) as well as plain JSON', async () => {
    const now = new Date().toISOString();
    const conversation = { ...newConversation('web:deflated', 'web', 'deflated', 'en', now), heldQuestion: 'How many points do I need? '.repeat(60) };
    await new RedisConversationStore(redis, { deflateAboveBytes: 1024 }).save(conversation);
    expect((await redis.getBuffer('lotse:conv:web:deflated'))!.subarray(0, 2).toString()).toBe('z:');
    const plain = new RedisConversationStore(redis);
    expect(await plain.get('web:deflated')).toEqual(conversation);
    await plain.save(conversation);
    expect((await redis.get('lotse:conv:web:deflated'))!.startsWith('{')).toBe(true);
    expect(await plain.get('web:deflated')).toEqual(conversation);
    await plain.delete('web:deflated');
  });

  it('keeps the advisor console and the WhatsApp window working (their multi-key steps within one slot)', async () => {
    const console = asRedis(redis);
    const accounts = new AdvisorAccounts(console);
    await accounts.add({ name: 'nadia', displayName: 'Nadia', pools: ['default'] }, 'hash');
    expect((await accounts.list()).map((a) => a.name)).toEqual(['nadia']);
    const sessions = new ConsoleSessions(console);
    const { id } = await sessions.create('nadia');
    expect(await sessions.read(id)).toMatchObject({ account: 'nadia' });
    expect(await sessions.endAll('nadia')).toBe(1);
    expect(await new SignInLimits(console).attempt('nadia', '127.0.0.1')).toEqual({ ok: true });
    expect(await accounts.remove('nadia')).toBe(true);

    const window = new ConversationWindow(console, 'lotse:', { windowMs: 86_400_000, warnBeforeMs: 3_600_000 });
    await window.opened('4915100000000', Date.now());
    expect(await window.isOpen('4915100000000', Date.now())).toBe(true);
    expect(await window.hold('4915100000000', '{"id":"r1"}', 'r1')).toBe(true);
    expect(await window.hold('4915100000000', '{"id":"r1"}', 'r1')).toBe(false);
    expect(await window.takeHeld('4915100000000')).toEqual(['{"id":"r1"}']);
    await window.erase('4915100000000');
    expect(await scanKeys(redis, 'lotse:wa:*4915100000000*')).toEqual([]);
  });
});

// A single Redis is not mistaken for a cluster, and its deployments keep the key names they had.
describe('a single Redis', () => {
  it('keeps its key names: no hash tags on queues or on the keys tagged for a cluster', async () => {
    const single = new Redis(inject('redisUrl'));
    try {
      expect(isCluster(single)).toBe(false);
      expect(bullQueueName('inbound', single)).toBe('inbound');
      expect(hashTag(single, 'console')).toBe('console');
      expect(bullQueueName('inbound', redis)).toBe('{inbound}');
      expect(hashTag(redis, 'console')).toBe('{console}');
    } finally {
      single.disconnect();
    }
  });
});
