import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { WhatsAppCloudSender } from '../../../src/channels/whatsapp/cloud/outbound.js';
import type { WhatsAppCloudSettings } from '../../../src/channels/whatsapp/config.js';
import type { ChannelNotice } from '../../../src/channels/registry.js';
import { PermanentSendError, RateLimitedError } from '../../../src/core/errors.js';
import type { OutboundMessage, ReplyButton } from '../../../src/core/message.js';
import { cloudSettings, FakeGraphApiServer } from '../../helpers/fake-graph-api-server.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const USER = '4917612345678';
let graph: FakeGraphApiServer;
let redis: Redis;
let prefix: string;
let notices: { key: string; notice: ChannelNotice }[];

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
  redis = new Redis(inject('redisUrl'));
  prefix = `wa-sender-test-${randomUUID().slice(0, 8)}:`;
  notices = [];
});
afterEach(async () => {
  await graph.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

function sender(extra: Partial<WhatsAppCloudSettings> = {}, fetchTimeoutMs?: number) {
  return new WhatsAppCloudSender(cloudSettings(graph, extra), {
    redis,
    keyPrefix: prefix,
    advisorNotice: async (key, notice) => void notices.push({ key, notice }),
    fetchTimeoutMs,
  });
}

let replies = 0;
const reply = (text: string, buttons?: ReplyButton[], userId = USER): OutboundMessage => ({ id: `whatsapp:${userId}:wamid.in:${replies++}`, channel: 'whatsapp', userId, text, language: 'en', direction: 'ltr', buttons });

/** Sends every part, as the outbound worker does. */
async function sendAll(s: WhatsAppCloudSender, message: OutboundMessage) {
  for (let part = 0; part < s.partCount(message); part++) await s.send(message, part);
}

async function withOpenWindow(extra: Partial<WhatsAppCloudSettings> = {}) {
  const s = sender(extra);
  await s.window.opened(USER, Date.now());
  return s;
}

describe('WhatsApp Cloud sender, inside the window', () => {
  it('posts text to /{phone-number-id}/messages with the bearer token, no link preview', async () => {
    const s = await withOpenWindow();
    await sendAll(s, reply('Hello **world**, see [the page](https://example.org/a).'));
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.authorization).toBe(`Bearer ${graph.token}`);
    expect(graph.calls[0]!.phoneNumberId).toBe(graph.phoneNumberId);
    expect(graph.calls[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER,
      type: 'text',
      text: { body: 'Hello *world*, see the page (https://example.org/a).', preview_url: false },
    });
  });

  it('buttons go as reply buttons, more of them as a list with the translated menu label', async () => {
    const s = await withOpenWindow();
    await sendAll(s, reply('Agree?', [{ label: 'Yes', action: 'choice:yes' }, { label: 'No', action: 'choice:no' }]));
    expect(graph.calls[0]!.body).toMatchObject({ type: 'interactive', interactive: { type: 'button', body: { text: 'Agree?' }, action: { buttons: [{ reply: { id: 'choice:yes', title: 'Yes' } }, { reply: { id: 'choice:no', title: 'No' } }] } } });
    const languages = ['English', 'Deutsch', 'Français', 'Español', 'Shqip'].map((label, i) => ({ label, action: `lang:${i}` }));
    await sendAll(s, { ...reply('Sprache?', languages), language: 'de' });
    const list = graph.calls[1]!.body as { interactive: { type: string; action: { button: string; sections: { rows: { id: string }[] }[] } } };
    expect(list.interactive.type).toBe('list');
    expect(list.interactive.action.sections[0]!.rows.map((row) => row.id)).toEqual(languages.map((b) => b.action));
    expect(list.interactive.action.button).not.toBe('');
    expect(Array.from(list.interactive.action.button).length).toBeLessThanOrEqual(20);
  });

  it('a long reply: one Graph call per part, the buttons on the last, every interactive body within 1,024 characters', async () => {
    const s = await withOpenWindow();
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}. ${'Some words about the topic. '.repeat(8)}`).join('\n\n');
    const message = reply(text, [{ label: 'Advisor', action: 'cmd:advisor' }]);
    const parts = s.partCount(message);
    expect(parts).toBeGreaterThan(2);
    await sendAll(s, message);
    expect(graph.calls).toHaveLength(parts);
    expect(graph.calls.slice(0, -1).every((call) => call.body.type === 'text')).toBe(true);
    const last = graph.calls.at(-1)!.body as { type: string; interactive: { body: { text: string } } };
    expect(last.type).toBe('interactive');
    expect(last.interactive.body.text.length).toBeLessThanOrEqual(1024);
    // A retry of one part sends that part only.
    await s.send(message, 1);
    expect(graph.calls).toHaveLength(parts + 1);
    expect(graph.calls.at(-1)!.body).toEqual(graph.calls[1]!.body);
  });
});

describe('WhatsApp Cloud sender, errors', () => {
  it('HTTP 429 and the throughput codes are RateLimitedError, waiting as Meta says or a few seconds', async () => {
    const s = await withOpenWindow();
    graph.failNext(1, { status: 429, code: 130429, message: 'Rate limit hit', headers: { 'retry-after': '7' } });
    await expect(s.send(reply('hi'), 0)).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterSeconds: 7 });
    for (const code of [4, 80007, 130429, 131048, 131056]) {
      graph.failNext(1, { status: 400, code, message: 'slow down' });
      const error = await s.send(reply('hi'), 0).catch((e: unknown) => e);
      expect(error, String(code)).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(5);
    }
    expect(graph.calls).toHaveLength(0);
  });

  it("other 4xx are PermanentSendError with Meta's message and code, never the user's number or text", async () => {
    const s = await withOpenWindow();
    graph.failNext(1, { status: 400, code: 131026, message: `Message undeliverable to ${USER}` });
    const error = await s.send(reply('my secret question'), 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toMatch(/HTTP 400 code 131026: Message undeliverable/);
    expect((error as Error).message).not.toContain(USER);
    expect((error as Error).message).not.toContain('my secret question');
    expect((error as Error).message).not.toContain(graph.token);
  });

  it('an expired or revoked token is retried (renewing it lets the replies go out), with the fix in its message', async () => {
    const s = await withOpenWindow();
    graph.failNext(1, { status: 401, code: 190, message: 'Error validating access token' });
    const error = await s.send(reply('hi'), 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toMatch(/renew WHATSAPP_CLOUD_TOKEN/);
    expect((error as Error).message).not.toContain(graph.token);
  });

  it('5xx, an unreachable or silent Graph API: plain errors, retried by the worker', async () => {
    const s = await withOpenWindow();
    graph.failNext(1, { status: 500, code: 131000, message: 'Something went wrong' });
    const server = await s.send(reply('hi'), 0).catch((e: unknown) => e);
    expect(server).toBeInstanceOf(Error);
    expect(server).not.toBeInstanceOf(PermanentSendError);
    expect(server).not.toBeInstanceOf(RateLimitedError);
    graph.delayMs = 1_000;
    const slow = sender({}, 200);
    const timeout = await slow.send(reply('hi'), 0).catch((e: unknown) => e);
    expect((timeout as Error).message).toMatch(/did not answer within 200 ms/);
    expect(timeout).not.toBeInstanceOf(PermanentSendError);
    graph.delayMs = 0;
    const gone = sender();
    await graph.close();
    const unreachable = await gone.send(reply('hi'), 0).catch((e: unknown) => e);
    expect((unreachable as Error).message).toMatch(/Graph API unreachable/);
    expect(unreachable).not.toBeInstanceOf(PermanentSendError);
    graph = await new FakeGraphApiServer().start();
  });

  it("131047 (Meta's window closed): the reply is held, the template sent once, the advisors told once", async () => {
    const s = await withOpenWindow();
    graph.failNext(1, { status: 400, code: 131047, message: 'Re-engagement message' });
    await s.send(reply('first'), 0);
    expect(graph.calls.map((call) => call.body.type)).toEqual(['template']);
    expect(graph.calls[0]!.body).toMatchObject({ to: USER, type: 'template', template: { name: 'lotse_resume', language: { code: 'en' } } });
    expect(notices).toEqual([{ key: `whatsapp:${USER}`, notice: { kind: 'window_closed', template: true } }]);
    graph.failNext(1, { status: 400, code: 131047, message: 'Re-engagement message' });
    await s.send(reply('second'), 0);
    expect(graph.calls).toHaveLength(1);
    expect(notices).toHaveLength(1);
    const held = (await s.window.takeHeld(USER)).map((json) => (JSON.parse(json) as OutboundMessage).text);
    expect(held).toEqual(['first', 'second']);
  });
});

describe('WhatsApp Cloud sender, keys', () => {
  it('every key it writes expires', async () => {
    const s = sender();
    await sendAll(s, reply('held, window never opened'));
    await s.window.opened(USER, Date.now());
    const keys = await scanKeys(redis, `${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
  });
});
