import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { WhatsAppCloudChannel } from '../../../src/channels/whatsapp/cloud/adapter.js';
import type { HeldReply } from '../../../src/channels/whatsapp/cloud/outbound.js';
import { ConversationWindow } from '../../../src/channels/whatsapp/cloud/window.js';
import type { WhatsAppCloudSettings } from '../../../src/channels/whatsapp/config.js';
import type { ChannelNotice } from '../../../src/channels/registry.js';
import { RateLimitedError } from '../../../src/core/errors.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { cloudSettings, FakeGraphApiServer, signedWebhook, WebhookBuilder } from '../../helpers/fake-graph-api-server.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const USER = '4917612345678';
/** A whole second: webhook timestamps are in seconds. */
const T0 = Date.parse('2026-03-01T10:00:00Z');
const WINDOW_MS = 2_000;
const WARN_BEFORE_MS = 500;

let graph: FakeGraphApiServer;
let redis: Redis;
let prefix: string;
let clock: number;
let log: string[];
let notices: { key: string; notice: ChannelNotice }[];
let delivered: OutboundMessage[];
/** Deliveries to the outbox that fail (Redis trouble), counted down. */
let failDeliveries: number;
let errors: { error: unknown; what: string }[];
const servers: FastifyInstance[] = [];
const channels: WhatsAppCloudChannel[] = [];
const build = new WebhookBuilder(undefined, () => clock);

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
  redis = new Redis(inject('redisUrl'));
  prefix = `wa-window-test-${randomUUID().slice(0, 8)}:`;
  clock = T0;
  log = [];
  notices = [];
  delivered = [];
  failDeliveries = 0;
  errors = [];
});
afterEach(async () => {
  for (const channel of channels.splice(0)) await channel.stop();
  for (const server of servers.splice(0)) await server.close();
  await graph.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

async function gateway(extra: Partial<WhatsAppCloudSettings> = {}, pollMs?: number) {
  const channel = new WhatsAppCloudChannel(cloudSettings(graph, { windowMs: WINDOW_MS, warnBeforeMs: WARN_BEFORE_MS, ...extra }), {
    sink: { accept: async (message) => void log.push(`queued ${message.id}`) },
    redis,
    keyPrefix: prefix,
    outbox: {
      deliver: async (replies) => {
        if (failDeliveries-- > 0) throw new Error('outbox unavailable');
        log.push(`redelivered ${replies.length}`);
        delivered.push(...replies);
      },
    },
    advisorNotice: async (key, notice) => void notices.push({ key, notice }),
    onError: (error, what) => void errors.push({ error, what }),
    now: () => clock,
    pollMs,
  });
  const server = Fastify({ logger: false });
  channel.routes(server);
  await server.ready();
  channels.push(channel);
  servers.push(server);
  const write = async (text: string) => {
    const { payload, signature } = signedWebhook(build.body({ messages: [build.text(USER, text)] }), 'test-app-secret');
    const response = await server.inject({ method: 'POST', url: '/whatsapp/webhook', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload });
    expect(response.statusCode).toBe(200);
  };
  return { channel, sender: channel.sender, write };
}

let count = 0;
const reply = (text: string): OutboundMessage => ({ id: `whatsapp:${USER}:wamid.${count++}:0`, channel: 'whatsapp', userId: USER, text, language: 'en', direction: 'ltr' });

async function sendAll(sender: WhatsAppCloudChannel['sender'], message: OutboundMessage) {
  for (let part = 0; part < sender.partCount(message); part++) await sender.send(message, part);
}

describe('the 24-hour window (shortened to 2 s)', () => {
  it('inside: text; after: the template once and the replies held; the next message sends them on', async () => {
    const { sender, write } = await gateway();
    await write('Hello');
    clock = T0 + 1_000;
    await sendAll(sender, reply('inside the window'));
    expect(graph.calls.map((c) => c.body.type)).toEqual(['text']);

    clock = T0 + WINDOW_MS + 1;
    await sendAll(sender, reply('an advisor answered late'));
    await sendAll(sender, reply('and added a note'));
    expect(graph.calls.map((c) => c.body.type)).toEqual(['text', 'template']);
    expect(graph.calls[1]!.body).toMatchObject({ to: USER, template: { name: 'lotse_resume', language: { code: 'en' } } });
    expect(notices).toEqual([{ key: `whatsapp:${USER}`, notice: { kind: 'window_closed', template: true } }]);

    clock = T0 + WINDOW_MS + 5_000;
    await write('I am back');
    // Their message first, then what waited for them, under new ids (the old ones are spent in the outbound lane).
    expect(log).toEqual([expect.stringMatching(/^queued /), expect.stringMatching(/^queued /), 'redelivered 1', 'redelivered 1']);
    expect(delivered.map((r) => r.text)).toEqual(['an advisor answered late', 'and added a note']);
    expect(delivered.every((r) => /:held-\d+$/.test(r.id))).toBe(true);
    for (const message of delivered) await sendAll(sender, message);
    expect(graph.calls.map((c) => c.body.type)).toEqual(['text', 'template', 'text', 'text']);
    expect((graph.calls[2]!.body as { text: { body: string } }).text.body).toBe('an advisor answered late');
    // Nothing is held any more: a further message redelivers nothing.
    await write('thanks');
    expect(delivered).toHaveLength(2);

    // The next closed window gets its own template.
    clock += WINDOW_MS + 10_000;
    await sendAll(sender, reply('later again'));
    expect(graph.calls.filter((c) => c.body.type === 'template')).toHaveLength(2);
    expect(notices).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('held replies the outbox cannot take wait for the next message; the webhook still succeeds', async () => {
    const { sender, write } = await gateway();
    await write('Hello');
    clock = T0 + WINDOW_MS + 1;
    await sendAll(sender, reply('one'));
    await sendAll(sender, reply('two'));
    clock += 1_000;
    failDeliveries = 1;
    await write('back');
    expect(errors.map((e) => e.what)).toEqual(['held replies']);
    expect(delivered).toHaveLength(0);
    await write('again');
    expect(delivered.map((r) => r.text)).toEqual(['one', 'two']);
  });

  it('without a template nothing is sent once it has closed; the advisors are told once', async () => {
    const { sender, write } = await gateway({ template: undefined });
    await write('Hello');
    clock = T0 + WINDOW_MS + 1;
    await sendAll(sender, reply('one'));
    await sendAll(sender, reply('two'));
    expect(graph.calls).toHaveLength(0);
    expect(notices).toEqual([{ key: `whatsapp:${USER}`, notice: { kind: 'window_closed', template: false } }]);
    expect(await sender.window.takeHeld(USER)).toHaveLength(2);
  });

  it('a user who never wrote gets no free text either', async () => {
    const { sender } = await gateway();
    await sendAll(sender, reply('unprompted'));
    expect(graph.calls.map((c) => c.body.type)).toEqual(['template']);
  });

  it('a window closing between the parts of a reply: the parts sent are not sent again', async () => {
    const { sender, write } = await gateway();
    await write('Hello');
    const long = reply(Array.from({ length: 3 }, (_, i) => `Part ${i} ${'text '.repeat(700)}`).join('\n\n'));
    const parts = sender.partCount(long);
    expect(parts).toBeGreaterThanOrEqual(2);
    await sender.send(long, 0);
    clock = T0 + WINDOW_MS + 1;
    for (let part = 1; part < parts; part++) await sender.send(long, part);
    expect(graph.calls.map((c) => c.body.type)).toEqual(['text', 'template']);
    clock += 1_000;
    await write('back');
    expect(delivered).toHaveLength(1);
    expect((delivered[0] as HeldReply).resumePart).toBe(1);
    await sendAll(sender, delivered[0]!);
    expect(graph.calls.map((c) => c.body.type)).toEqual(['text', 'template', ...Array<string>(parts - 1).fill('text')]);
    expect((graph.calls[2]!.body as { text: { body: string } }).text.body).toMatch(/^Part 1/);
  });

  it('a template held up (429) is sent on the retry; the reply is held once', async () => {
    const { sender } = await gateway();
    graph.failNext(1, { status: 429, code: 130429, message: 'slow down', headers: { 'retry-after': '2' } });
    const message = reply('waiting');
    await expect(sender.send(message, 0)).rejects.toBeInstanceOf(RateLimitedError);
    expect(notices).toHaveLength(0);
    await sender.send(message, 0);
    expect(graph.calls.map((c) => c.body.type)).toEqual(['template']);
    expect(notices).toHaveLength(1);
    expect(await sender.window.takeHeld(USER)).toHaveLength(1);
  });

  it('a template Meta refuses: the reply stays held (the send is done, not given up on), the advisors hear there was none, the operator reads why', async () => {
    const { sender } = await gateway({ template: { name: 'not_approved', language: 'de' } });
    graph.failNext(1, { status: 404, code: 132001, message: 'Template name does not exist in the translation' });
    await sender.send(reply('waiting'), 0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.what).toBe('template refused');
    expect((errors[0]!.error as Error).message).toMatch(/not_approved.*132001/);
    expect((errors[0]!.error as Error).message).not.toContain(USER);
    expect(notices).toEqual([{ key: `whatsapp:${USER}`, notice: { kind: 'window_closed', template: false } }]);
    expect(await sender.window.takeHeld(USER)).toHaveLength(1);
  });
});

describe('warnings before the window closes', () => {
  it('the advisors are warned once, even with two gateways polling the same Redis', async () => {
    const a = await gateway({}, 20);
    const b = await gateway({}, 20);
    await a.write('Hello');
    await a.channel.start();
    await b.channel.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(notices).toHaveLength(0);
    clock = T0 + WINDOW_MS - WARN_BEFORE_MS + 10;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notices).toEqual([{ key: `whatsapp:${USER}`, notice: { kind: 'window_closing', closesAt: new Date(T0 + WINDOW_MS).toISOString() } }]);
    expect(errors).toEqual([]);
    await a.channel.stop();
    await b.channel.stop();
  });

  it('taken at once by two callers: each warning goes to one of them', async () => {
    const window = new ConversationWindow(redis, prefix, { windowMs: WINDOW_MS, warnBeforeMs: WARN_BEFORE_MS });
    const users = Array.from({ length: 50 }, (_, i) => `491761234${String(i).padStart(4, '0')}`);
    for (const user of users) await window.opened(user, T0);
    const due = T0 + WINDOW_MS - WARN_BEFORE_MS;
    const [x, y] = await Promise.all([window.takeDueWarnings(due), window.takeDueWarnings(due)]);
    expect([...x!, ...y!].map((w) => w.userId).sort()).toEqual(users.sort());
    expect(await window.takeDueWarnings(due + 100)).toEqual([]);
  });

  it('a new message moves the warning; a window already closed is not warned of', async () => {
    const window = new ConversationWindow(redis, prefix, { windowMs: WINDOW_MS, warnBeforeMs: WARN_BEFORE_MS });
    await window.opened(USER, T0);
    await window.opened(USER, T0 + 1_000);
    // A late redelivery of an older message does not move the window back.
    await window.opened(USER, T0 + 500);
    expect(await window.closesAt(USER)).toBe(T0 + 1_000 + WINDOW_MS);
    expect(await window.takeDueWarnings(T0 + WINDOW_MS - WARN_BEFORE_MS + 1)).toEqual([]);
    expect(await window.takeDueWarnings(T0 + 1_000 + WINDOW_MS - WARN_BEFORE_MS)).toEqual([{ userId: USER, closesAt: T0 + 1_000 + WINDOW_MS }]);
    await window.opened(USER, T0 + 5_000);
    expect(await window.takeDueWarnings(T0 + 5_000 + WINDOW_MS + 1)).toEqual([]);
  });
});

describe('ConversationWindow keys', () => {
  it('held replies are taken by one caller only; every key expires; erasure leaves nothing', async () => {
    const window = new ConversationWindow(redis, prefix, { windowMs: WINDOW_MS, warnBeforeMs: WARN_BEFORE_MS });
    await window.opened(USER, T0);
    expect(await window.hold(USER, '{"a":1}', 'r1')).toBe(true);
    expect(await window.hold(USER, '{"a":1}', 'r1')).toBe(false);
    expect(await window.hold(USER, '{"b":2}', 'r2')).toBe(true);
    expect(await window.templateSent(USER, T0 + WINDOW_MS)).toBe(true);
    expect(await window.templateSent(USER, T0 + WINDOW_MS)).toBe(false);
    const keys = await scanKeys(redis, `${prefix}*`);
    expect(keys.every((key) => key.startsWith(`${prefix}wa:`))).toBe(true);
    for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
    const [one, two] = await Promise.all([window.takeHeld(USER), window.takeHeld(USER)]);
    expect([...one!, ...two!]).toEqual(['{"a":1}', '{"b":2}']);
    await window.hold(USER, '{"c":3}', 'r3');
    await window.erase(USER);
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  });
});
