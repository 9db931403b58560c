import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { WhatsAppWebSettings } from '../../../src/channels/whatsapp/config.js';
import { WhatsAppWebChannel } from '../../../src/channels/whatsapp/web/adapter.js';
import { whatsappWebUserData } from '../../../src/channels/whatsapp/web/user-data.js';
import { waWebKeys } from '../../../src/channels/whatsapp/web/keys.js';
import { WhatsAppWebMediaFetcher } from '../../../src/channels/whatsapp/web/media.js';
import { WhatsAppWebSender } from '../../../src/channels/whatsapp/web/outbound.js';
import { QueueUnavailableError } from '../../../src/core/errors.js';
import type { InboundMessage, OutboundMessage } from '../../../src/core/message.js';
import { createLogger } from '../../../src/infra/logger.js';
import { FakeClientFactory } from '../../helpers/fake-wweb-client.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const PHONE = '4917612345678';
const CHAT = `${PHONE}@c.us`;
const LOCK_TTL_MS = 600;

const settings: WhatsAppWebSettings = { chromiumPath: '/usr/bin/chromium', session: 'local', sessionDir: '/tmp/lotse-wa-web-test', limits: { perSecond: 5, perChatIntervalMs: 1000 } };

const redisUrl = inject('redisUrl');
let redis: Redis;
/** Connections handed out as the channel's own (connect()); closed after each test, as Lotse closes them when it stops. */
const connections: Redis[] = [];
const channels: WhatsAppWebChannel[] = [];
const prefixes: string[] = [];

const connect = () => {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connections.push(connection);
  return connection;
};

beforeAll(() => {
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  for (const connection of connections.splice(0)) connection.disconnect();
  for (const prefix of prefixes.splice(0)) await deleteKeys(redis, prefix);
});
afterAll(() => redis.disconnect());

function newPrefix(): string {
  const prefix = `test:wa-web:${randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return prefix;
}

/** A sink that can refuse like a queue whose Redis is down. */
class MemorySink {
  readonly messages: InboundMessage[] = [];
  refusals = 0;
  attempts = 0;

  accept = async (message: InboundMessage): Promise<void> => {
    this.attempts++;
    if (this.refusals > 0) {
      this.refusals--;
      throw new QueueUnavailableError();
    }
    this.messages.push(message);
  };
}

interface Opened {
  channel: WhatsAppWebChannel;
  factory: FakeClientFactory;
  sink: MemorySink;
  /** The channel's log lines, parsed. */
  logs: { msg: string; [field: string]: unknown }[];
  terminal: string[];
  errors: { error: unknown; what: string }[];
  reconnects: number[];
}

function open(prefix: string, options: { linked?: boolean; factory?: FakeClientFactory } = {}): Opened {
  const factory = options.factory ?? new FakeClientFactory();
  factory.linked = options.linked ?? factory.linked;
  const sink = new MemorySink();
  const logs: Opened['logs'] = [];
  const terminal: string[] = [];
  const errors: Opened['errors'] = [];
  const reconnects: number[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _encoding, done) => void (logs.push(JSON.parse(String(chunk))), done()) }));
  const channel = new WhatsAppWebChannel(settings, {
    sink,
    redis,
    connect,
    keyPrefix: prefix,
    logger,
    onError: (error, what) => errors.push({ error, what }),
    clientFactory: factory.create,
    lockTtlMs: LOCK_TTL_MS,
    reconnectMs: (attempt) => {
      reconnects.push(attempt);
      return 100;
    },
    terminal: (text) => terminal.push(text),
  });
  channels.push(channel);
  return { channel, factory, sink, logs, terminal, errors, reconnects };
}

/** Nothing personal in the logs or the reported errors: no number, no text, no QR code. */
function expectNothingPersonal(opened: Opened, ...secrets: string[]): void {
  const written = JSON.stringify(opened.logs) + opened.errors.map(({ error, what }) => `${what} ${String((error as Error)?.message)}`).join('\n');
  for (const secret of [PHONE, PHONE.slice(2), ...secrets]) expect(written).not.toContain(secret);
}

const reply = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({ id: `r-${randomUUID()}`, channel: 'whatsapp', userId: PHONE, text: 'You need *6 points*.', language: 'en', direction: 'ltr', ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = <T>(check: () => T | Promise<T>, timeout = 5_000) => vi.waitFor(check, { timeout, interval: 20 });

describe('WhatsApp Web channel: linking', () => {
  it('shows the QR code (state, terminal, one log line without the code), then is ready once the phone links', async () => {
    const opened = open(newPrefix());
    const started = Date.now();
    await opened.channel.start();
    expect(Date.now() - started).toBeLessThan(500);
    await waitFor(() => expect(opened.channel.link().state).toBe('qr'));
    const client = opened.factory.last!;
    expect(client.initialized).toBe(true);
    expect(opened.channel.link().qr).toBe(client.qrCode);
    expect(opened.terminal).toHaveLength(1);
    expect(opened.terminal[0]).toMatch(/[▀▄█]/);
    expect(opened.logs.filter((line) => line.msg.includes('scan this code in WhatsApp > Linked devices'))).toHaveLength(1);
    client.link();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    expect(opened.channel.link().qr).toBeUndefined();
    expect(opened.logs.map((line) => line.msg)).toContain('WhatsApp Web linked and ready');
    expect(opened.channel.describe()).toBe('WhatsApp (whatsapp-web.js): linked number, session in /tmp/lotse-wa-web-test');
    expectNothingPersonal(opened, client.qrCode);
  });

  it('stop() destroys the client and releases the lock', async () => {
    const prefix = newPrefix();
    const opened = open(prefix, { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    expect(await redis.exists(waWebKeys(prefix).lock)).toBe(1);
    await opened.channel.stop();
    expect(opened.factory.last!.destroyed).toBe(true);
    expect(await redis.exists(waWebKeys(prefix).lock)).toBe(0);
  });
});

describe('WhatsApp Web channel: messages in', () => {
  it('takes a text message in once, even when WhatsApp Web emits it twice', async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const message = opened.factory.last!.receive({ from: CHAT, body: 'Brauche ich ein Visum?' });
    opened.factory.last!.emit('message', message);
    await waitFor(() => expect(opened.sink.messages).toHaveLength(1));
    await sleep(200);
    expect(opened.sink.messages).toHaveLength(1);
    expect(opened.sink.messages[0]).toMatchObject({ id: `whatsapp:${PHONE}:${message.id.id}`, channel: 'whatsapp', userId: PHONE, kind: 'text', text: 'Brauche ich ein Visum?', countryHint: 'DE' });
    expectNothingPersonal(opened, 'Brauche ich ein Visum?');
  });

  it('ignores groups, status updates and its own messages', async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const client = opened.factory.last!;
    client.receive({ from: '120363012345678901@g.us', body: 'group' });
    client.receive({ from: 'status@broadcast', isStatus: true, body: 'status' });
    client.receive({ from: CHAT, fromMe: true, body: 'mine' });
    client.receive({ from: CHAT, body: 'after' });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(1));
    expect(opened.sink.messages[0]!.text).toBe('after');
  });

  it('downloads a voice note at arrival and keeps it in Redis, fetchable by its ref from any process', async () => {
    const prefix = newPrefix();
    const opened = open(prefix, { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const audio = Buffer.from('OggS\u0000fake opus voice note');
    opened.factory.last!.receive({ from: CHAT, type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus', data: audio.toString('base64') } });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(1));
    const message = opened.sink.messages[0]!;
    expect(message).toMatchObject({ kind: 'voice', text: '', media: { ref: `${PHONE}:${message.id.split(':').at(-1)}`, mimeType: 'audio/ogg; codecs=opus' } });
    const fetcher = new WhatsAppWebMediaFetcher(redis, prefix);
    expect(fetcher.channel).toBe('whatsapp');
    const fetched = await fetcher.fetch(message.media!.ref);
    expect(Buffer.from(fetched.data).equals(audio)).toBe(true);
    expect(fetched.fileName).toBe('voice.ogg');
    expect(await redis.ttl(waWebKeys(prefix).media(message.media!.ref))).toBeGreaterThan(86_000);
    await expect(fetcher.fetch(`${PHONE}:3EB0GONE`)).rejects.toThrow(/no longer kept/);
    await expect(fetcher.fetch('*')).rejects.toThrow(/not a WhatsApp Web media reference/);
  });

  it('takes a message in without its file when the file cannot be downloaded or is too large', async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const client = opened.factory.last!;
    client.receive({ from: CHAT, type: 'image', hasMedia: true, media: null, body: 'caption' });
    client.receive({ from: CHAT, type: 'document', media: { mimetype: 'application/pdf', data: 'AAAA', filesize: 20 * 1024 * 1024 } });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(2));
    expect(opened.sink.messages.map((message) => [message.kind, message.media])).toEqual([
      ['photo', undefined],
      ['document', undefined],
    ]);
    expect(opened.errors.map(({ what }) => what)).toEqual(['downloading a WhatsApp Web file', 'downloading a WhatsApp Web file']);
    expectNothingPersonal(opened, 'caption');
  });

  it('waits for the queue while it is down (twice), then takes the message in once', async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    opened.sink.refusals = 2;
    opened.factory.last!.receive({ from: CHAT, body: 'Hallo' });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(1), 10_000);
    expect(opened.sink.attempts).toBe(3);
    expect(opened.errors.filter(({ error }) => error instanceof QueueUnavailableError)).toHaveLength(2);
    await sleep(200);
    expect(opened.sink.messages).toHaveLength(1);
  });

  it("keeps each person's messages in the order they came, a voice note's download included", async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const client = opened.factory.last!;
    const slow = client.receive({ from: CHAT, type: 'ptt', media: { mimetype: 'audio/ogg', data: Buffer.from('voice').toString('base64') } });
    slow.downloadMedia = async () => {
      await sleep(150);
      return { mimetype: 'audio/ogg', data: Buffer.from('voice').toString('base64') };
    };
    client.emit('message', { ...slow, id: { ...slow.id, id: '3EB0SLOW', _serialized: 'x_3EB0SLOW' } });
    client.receive({ from: CHAT, body: 'and a text' });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(3));
    expect(opened.sink.messages.map((message) => message.kind)).toEqual(['voice', 'voice', 'text']);
  });
});

describe('WhatsApp Web channel: one client across replicas', () => {
  it('lets only one of two replicas create a client; the other takes over when the holder stops', async () => {
    const prefix = newPrefix();
    const a = open(prefix, { linked: true });
    const b = open(prefix, { linked: true });
    await a.channel.start();
    await waitFor(() => expect(a.channel.link().state).toBe('ready'));
    await b.channel.start();
    await waitFor(() => expect(b.channel.link().state).toBe('standby'));
    await sleep(LOCK_TTL_MS * 2);
    expect(a.factory.clients).toHaveLength(1);
    expect(b.factory.clients).toHaveLength(0);
    expect(b.channel.link().state).toBe('standby');
    await a.channel.stop();
    expect(a.factory.last!.destroyed).toBe(true);
    await waitFor(() => expect(b.channel.link().state).toBe('ready'));
    expect(b.factory.clients).toHaveLength(1);
  });

  it('takes over from a holder that died (its lock expires without renewal)', async () => {
    const prefix = newPrefix();
    await redis.set(waWebKeys(prefix).lock, 'a-replica-that-crashed', 'PX', LOCK_TTL_MS);
    const b = open(prefix, { linked: true });
    await b.channel.start();
    await waitFor(() => expect(b.channel.link().state).toBe('standby'));
    expect(b.factory.clients).toHaveLength(0);
    await waitFor(() => expect(b.channel.link().state).toBe('ready'), LOCK_TTL_MS * 5);
    expect(b.factory.clients).toHaveLength(1);
  });

  it('closes its client at once when it finds its lock held by another, and stands by until it is free again', async () => {
    const prefix = newPrefix();
    const a = open(prefix, { linked: true });
    await a.channel.start();
    await waitFor(() => expect(a.channel.link().state).toBe('ready'));
    await redis.set(waWebKeys(prefix).lock, 'another-replica', 'PX', LOCK_TTL_MS * 2);
    await waitFor(() => expect(a.factory.clients[0]!.destroyed).toBe(true), LOCK_TTL_MS * 2);
    expect(a.channel.link().state).toBe('standby');
    expect(a.logs.some((line) => line.msg.includes('client lock was lost'))).toBe(true);
    await waitFor(() => expect(a.channel.link().state).toBe('ready'), LOCK_TTL_MS * 6);
    expect(a.factory.clients).toHaveLength(2);
  });
});

describe('WhatsApp Web channel: reconnecting', () => {
  it("reconnects with backoff after 'disconnected', with a log line giving the reason", async () => {
    const opened = open(newPrefix(), { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const first = opened.factory.last!;
    first.disconnect('CONFLICT');
    await waitFor(() => expect(first.destroyed).toBe(true));
    expect(['disconnected', 'starting', 'ready']).toContain(opened.channel.link().state);
    await waitFor(() => expect(opened.factory.clients).toHaveLength(2));
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    expect(opened.reconnects).toEqual([0]);
    expect(opened.logs.find((line) => line.msg === 'WhatsApp Web disconnected (CONFLICT)')).toMatchObject({ level: 40, reason: 'CONFLICT' });
    // Events of the closed client are not listened to any more.
    first.receive({ from: CHAT, body: 'late' });
    await sleep(100);
    expect(opened.sink.messages).toHaveLength(0);
  });

  it('backs off longer each time while the client cannot start, and again after a failed login', async () => {
    const opened = open(newPrefix(), { linked: true });
    opened.factory.failCreate = new Error(`Cannot find module for ${PHONE}`);
    await opened.channel.start();
    await waitFor(() => expect(opened.reconnects.length).toBeGreaterThanOrEqual(2));
    opened.factory.failCreate = undefined;
    opened.factory.failInitialize = new Error(`net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/ for ${CHAT}`);
    await waitFor(() => expect(opened.reconnects.length).toBeGreaterThanOrEqual(4));
    expect(opened.reconnects.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(opened.channel.link().state).toBe('disconnected');
    expect(opened.logs.find((line) => line.msg === 'WhatsApp Web could not start')).toMatchObject({ reason: 'Error: net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/ for <chat>' });
    expect(opened.factory.clients.every((client) => client.destroyed)).toBe(true);
    opened.factory.failInitialize = undefined;
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    opened.factory.last!.emit('auth_failure', 'Unable to restore the session');
    const linkedAt = opened.factory.clients.length;
    await waitFor(() => expect(opened.factory.clients.length).toBe(linkedAt + 1));
    expect(opened.reconnects.at(-1)).toBe(0);
    expect(opened.logs.some((line) => line.msg.includes('authentication failed'))).toBe(true);
    expectNothingPersonal(opened);
  });
});

describe('WhatsApp Web channel: sending', () => {
  it('sends directly when this process holds the client, buttons as numbered lines; a number answered becomes the action', async () => {
    const prefix = newPrefix();
    const opened = open(prefix, { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    const offer = reply({ language: 'ar', direction: 'rtl', text: 'هل تريد مستشارا؟', buttons: [{ label: 'المزيد', action: 'cmd:more' }, { label: 'مستشار', action: 'cmd:advisor' }] });
    expect(opened.channel.sender.partCount(offer)).toBe(1);
    await opened.channel.sender.send(offer, 0);
    const client = opened.factory.last!;
    expect(client.sent).toEqual([{ chatId: CHAT, content: 'هل تريد مستشارا؟\n\nأجب برقم اختيارك:\n1. المزيد\n2. مستشار' }]);
    expect(await redis.ttl(waWebKeys(prefix).options(PHONE))).toBeGreaterThan(86_000);
    client.receive({ from: CHAT, body: '٢' });
    client.receive({ from: CHAT, body: 'I have 2 children' });
    client.receive({ from: CHAT, body: ' 1 ' });
    client.receive({ from: CHAT, body: '7' });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(4));
    expect(opened.sink.messages.map(({ text, action }) => ({ text, action }))).toEqual([
      { text: '', action: 'cmd:advisor' },
      { text: 'I have 2 children', action: undefined },
      { text: '', action: 'cmd:more' },
      { text: '7', action: undefined },
    ]);
  });

  it('relays a send from a process without the client through Redis to the holder', async () => {
    const prefix = newPrefix();
    const holder = open(prefix, { linked: true });
    const standby = open(prefix, { linked: true });
    await holder.channel.start();
    await waitFor(() => expect(holder.channel.link().state).toBe('ready'));
    await standby.channel.start();
    await waitFor(() => expect(standby.channel.link().state).toBe('standby'));
    // The sender of a sender-only process (no gateway), and the standby gateway's own.
    const lone = new WhatsAppWebSender(settings, { redis, connect, keyPrefix: prefix, timeoutMs: 4_000 });
    await lone.send(reply({ text: 'first' }), 0);
    await standby.channel.sender.send(reply({ userId: 'lid:123456789012345', text: 'second' }), 0);
    await Promise.all([lone.send(reply({ text: 'third' }), 0), lone.send(reply({ text: 'fourth' }), 0)]);
    const sent = holder.factory.last!.sent;
    expect(sent.slice(0, 2)).toEqual([
      { chatId: CHAT, content: 'first' },
      { chatId: '123456789012345@lid', content: 'second' },
    ]);
    expect(sent.slice(2).map((entry) => entry.content).sort()).toEqual(['fourth', 'third']);
    expect(standby.factory.clients).toHaveLength(0);
    // Answers are read; nothing but the (empty) outbox is left behind.
    expect(await scanKeys(redis, `${prefix}wa:web:sent:*`)).toEqual([]);
    expect(await redis.llen(waWebKeys(prefix).outbox)).toBe(0);
  });

  it('relays a failed send back as an error without the number', async () => {
    const prefix = newPrefix();
    const holder = open(prefix, { linked: true });
    await holder.channel.start();
    await waitFor(() => expect(holder.channel.link().state).toBe('ready'));
    holder.factory.last!.failSend = new Error(`Evaluation failed: no LID for ${CHAT}`);
    const lone = new WhatsAppWebSender(settings, { redis, connect, keyPrefix: prefix, timeoutMs: 4_000 });
    const failure = await lone.send(reply(), 0).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^WhatsApp Web send failed: .*Evaluation failed: no LID for <chat>/);
    expect((failure as Error).message).not.toContain(PHONE);
    expectNothingPersonal(holder);
  });

  it('fails within its timeout when no process holds a linked client, and leaves no request behind', async () => {
    const prefix = newPrefix();
    const lone = new WhatsAppWebSender(settings, { redis, connect, keyPrefix: prefix, timeoutMs: 800 });
    const started = Date.now();
    await expect(lone.send(reply(), 0)).rejects.toThrow('WhatsApp Web client not ready');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await redis.llen(waWebKeys(prefix).outbox)).toBe(0);
  });

  it('does not send a relayed request once its deadline has passed (the holder linked too late)', async () => {
    const prefix = newPrefix();
    const lone = new WhatsAppWebSender(settings, { redis, connect, keyPrefix: prefix, timeoutMs: 600 });
    const holder = open(prefix);
    await holder.channel.start();
    await waitFor(() => expect(holder.channel.link().state).toBe('qr'));
    await expect(lone.send(reply(), 0)).rejects.toThrow('WhatsApp Web client not ready');
    holder.factory.last!.link();
    await waitFor(() => expect(holder.channel.link().state).toBe('ready'));
    await sleep(300);
    expect(holder.factory.last!.sent).toEqual([]);
  });

  it('refuses a user id that is not a WhatsApp one, for good', async () => {
    const lone = new WhatsAppWebSender(settings, { redis, connect, keyPrefix: newPrefix(), timeoutMs: 500 });
    await expect(lone.send(reply({ userId: 'web-session-1' }), 0)).rejects.toMatchObject({ name: 'PermanentSendError' });
  });
});

describe('WhatsApp Web erasure', () => {
  it("deletes a user's offered choices, kept files and duplicate markers, and no one else's", async () => {
    const prefix = newPrefix();
    const opened = open(prefix, { linked: true });
    await opened.channel.start();
    await waitFor(() => expect(opened.channel.link().state).toBe('ready'));
    await opened.channel.sender.send(reply({ buttons: [{ label: 'Yes', action: 'choice:yes' }] }), 0);
    const other = '4915112345678';
    await opened.channel.sender.send(reply({ userId: other, buttons: [{ label: 'Yes', action: 'choice:yes' }] }), 0);
    opened.factory.last!.receive({ from: CHAT, type: 'ptt', media: { mimetype: 'audio/ogg', data: Buffer.from('v').toString('base64') } });
    await waitFor(() => expect(opened.sink.messages).toHaveLength(1));
    expect((await scanKeys(redis, `${prefix}wa:web:*${PHONE}*`)).length).toBe(3);
    await whatsappWebUserData(redis, prefix).erase(`whatsapp:${PHONE}`);
    await whatsappWebUserData(redis, prefix).erase('telegram:12345');
    expect(await scanKeys(redis, `${prefix}wa:web:*${PHONE}*`)).toEqual([]);
    expect(await redis.exists(waWebKeys(prefix).options(other))).toBe(1);
  });
});
