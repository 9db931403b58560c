import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { PermanentSendError, RateLimitedError } from '../../../src/core/errors.js';
import type { Language } from '../../../src/core/knowledge.js';
import type { NoticeSubscription } from '../../../src/core/notices.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { BroadcastThrottle, type ThrottleRates } from '../../../src/notices/broadcast-throttle.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import type { NoticeContent, NoticeDelivery, NoticeTransport } from '../../../src/notices/notice-transports.js';
import type { EventNotice } from '../../../src/notices/notice-types.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { SendThrottle } from '../../../src/queue/send-throttle.js';
import { eventNotice } from '../../helpers/event-notice.js';
import { deleteKeys } from '../../helpers/redis-keys.js';
import { maxInAnySecond } from '../../helpers/send-rates.js';

/** What a transport was asked to send: to whom, when, and what. */
interface Sent {
  key: string;
  at: number;
  delivery: Exclude<NoticeDelivery, { kind: 'skip' }>;
}

/** A transport that records instead of calling a platform; tests make it fail, hang or act on the way. */
class RecordingTransport implements NoticeTransport {
  readonly sent: Sent[] = [];
  /** Called before each send; may throw (a platform error). */
  beforeSend?: (subscriber: NoticeSubscription, n: number) => Promise<void> | void;
  /** Called once the platform has the message; a promise that never ends is a process that died before it heard back. */
  afterSend?: (subscriber: NoticeSubscription, n: number) => Promise<void> | void;
  /** Users outside the messaging window: the template goes to them, or nothing without one. */
  readonly windowClosed = new Set<string>();
  template = true;
  /** Whether a cancellation's own template is approved (the notice template never says it). */
  cancellationTemplate = false;
  private calls = 0;

  constructor(
    readonly channel: string,
    readonly rates: ThrottleRates = { platformPerSecond: 1000, noticesPerSecond: 1000 },
  ) {}

  async plan(subscriber: NoticeSubscription, content: NoticeContent, windowClosed = false): Promise<NoticeDelivery> {
    if (!windowClosed && !this.windowClosed.has(subscriber.userId)) return { kind: 'message', message: content.message };
    const approved = content.template === 'notice' ? this.template : this.cancellationTemplate;
    return approved ? { kind: 'template', name: content.template === 'notice' ? 'lotse_event' : 'lotse_event_cancelled', language: subscriber.language, parameters: content.templateParameters(subscriber.language) } : { kind: 'skip', reason: 'window_closed' };
  }

  async send(subscriber: NoticeSubscription, delivery: Exclude<NoticeDelivery, { kind: 'skip' }>): Promise<void> {
    const n = ++this.calls;
    await this.beforeSend?.(subscriber, n);
    this.sent.push({ key: subscriber.conversationKey, at: Date.now(), delivery });
    await this.afterSend?.(subscriber, n);
  }

  to(key: string): Sent[] {
    return this.sent.filter((sent) => sent.key === key);
  }
}

let redis: Redis;
let prefix: string;
let store: NoticeStore;
let subscriptions: RedisNoticeSubscriptions;
const translator = new I18nTranslator(Messages.create());
const errors: { error: unknown; what: string }[] = [];

beforeEach(() => {
  redis = new Redis(inject('redisUrl'));
  prefix = `notices-bc-${randomUUID().slice(0, 8)}:`;
  store = new NoticeStore(redis, prefix);
  subscriptions = new RedisNoticeSubscriptions(redis, prefix);
  errors.length = 0;
});
afterEach(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

function broadcaster(transports: NoticeTransport[], concurrency = 4) {
  return new Broadcaster(store, subscriptions, transports, new BroadcastThrottle(redis, prefix), translator, { concurrency, backoffMs: () => 20, onError: (error, what) => void errors.push({ error, what }) });
}

async function notice(extra: Partial<EventNotice> = {}): Promise<EventNotice> {
  const n = eventNotice({ titles: { de: 'Virtuelle Jobmesse: Pflege' }, ...extra });
  await store.create(n);
  return n;
}

/** Subscribers opt in one after the other (their subscriptions end in that order, which is the order a sending walks). */
let tick = 0;
const subscribe = (channel: string, userId: string, language: Language = 'en', extra: { country?: string; audience?: 'prospective' | 'returnee' } = {}) =>
  subscriptions.subscribe({ conversationKey: `${channel}:${userId}`, channel, userId, language, ...extra }, new Date(Date.now() - 60_000 + tick++));

describe('sending an event notice', () => {
  it('reaches exactly the subscribers it is for, each once, in their language; a repeated run sends nothing more', async () => {
    const telegram = new RecordingTransport('telegram');
    const whatsapp = new RecordingTransport('whatsapp');
    await subscribe('telegram', '1', 'en', { country: 'GH', audience: 'prospective' });
    await subscribe('telegram', '2', 'de', { country: 'GH', audience: 'returnee' });
    await subscribe('telegram', '3', 'fr', { country: 'SN', audience: 'prospective' });
    await subscribe('telegram', '4', 'en');
    await subscribe('telegram', '5', 'vi', { country: 'GH', audience: 'prospective' });
    await subscribe('whatsapp', '4917600000001', 'de', { country: 'GH', audience: 'prospective' });
    await subscribe('whatsapp', '4917600000002', 'en', { country: 'NG', audience: 'prospective' });
    await subscribe('web', 'session', 'en', { country: 'GH', audience: 'prospective' });
    const n = await notice({ countries: ['GH'], languages: ['en', 'de', 'fr'], audience: 'prospective' });
    const b = broadcaster([telegram, whatsapp]);
    expect(await b.run(n.id, 'announce')).toBe('done');
    expect(telegram.sent.map((s) => s.key).sort()).toEqual(['telegram:1']);
    expect(whatsapp.sent.map((s) => s.key)).toEqual(['whatsapp:4917600000001']);
    const german = whatsapp.sent[0]!.delivery;
    expect(german.kind === 'message' && german.message).toMatchObject({ id: `notice:${n.id}:whatsapp:4917600000001:announce`, language: 'de', direction: 'ltr' });
    const text = german.kind === 'message' ? german.message.text : '';
    expect(text).toContain('Neue Veranstaltung: **Virtuelle Jobmesse: Pflege**');
    expect(text).toMatch(/Wann: \S+, \d+\. \S+ 2026 um \d\d:\d\d Mitteleuropäische (Normal|Sommer)zeit/);
    expect(text).toContain('<https://www.example.org/fair?x=1>');
    expect(text).toContain('"Hinweise stoppen"');
    expect((await store.get(n.id))!.announce).toMatchObject({ status: 'done', matched: 2, sent: 2, failed: 0, skipped: 0, uncertain: 0 });

    // The job run again (a retry, a duplicate): nothing more goes out.
    await store.finish(n.id, 'announce', 'sending', new Date());
    expect(await b.run(n.id, 'announce')).toBe('done');
    expect(telegram.sent.length + whatsapp.sent.length).toBe(2);
  });

  it('outside the messaging window: the template with its parameters, or, without one, nobody (skipped and counted)', async () => {
    const whatsapp = new RecordingTransport('whatsapp');
    await subscribe('whatsapp', '1', 'fr');
    await subscribe('whatsapp', '2', 'fr');
    whatsapp.windowClosed.add('2');
    const n = await notice({ title: 'Salon virtuel\nde l’emploi' });
    await broadcaster([whatsapp]).run(n.id, 'announce');
    expect(whatsapp.to('whatsapp:1')[0]!.delivery.kind).toBe('message');
    const template = whatsapp.to('whatsapp:2')[0]!.delivery;
    expect(template).toMatchObject({ kind: 'template', name: 'lotse_event', language: 'fr', parameters: ['Salon virtuel de l’emploi', expect.stringMatching(/2026 à \d\d:\d\d heure normale d’Europe centrale|2026 à \d\d:\d\d heure d’été d’Europe centrale/), 'https://www.example.org/fair?x=1'] });

    const without = new RecordingTransport('whatsapp');
    without.template = false;
    without.windowClosed.add('2');
    const m = await notice();
    await broadcaster([without]).run(m.id, 'announce');
    expect(without.sent.map((s) => s.key)).toEqual(['whatsapp:1']);
    expect((await store.get(m.id))!.announce).toMatchObject({ matched: 2, sent: 1, skipped: 1 });
  });

  it('a process that dies mid-sending: the next run goes on, nobody gets it twice, the message being sent is not repeated', async () => {
    const transport = new RecordingTransport('telegram');
    for (let i = 0; i < 30; i++) await subscribe('telegram', String(i));
    const n = await notice();
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    let dead = false;
    // The 10th call reaches the platform and then the process "dies": its answer never comes back.
    transport.afterSend = (_subscriber, count) => {
      if (count === 10) {
        dead = true;
        return hung.then(() => undefined);
      }
    };
    const first = broadcaster([transport]).run(n.id, 'announce', () => dead);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dead).toBe(true);
    const sentBefore = transport.sent.length;
    expect(sentBefore).toBeLessThan(30);

    // Another process takes the sending over.
    const second = new RecordingTransport('telegram');
    expect(await broadcaster([second]).run(n.id, 'announce')).toBe('done');
    release();
    await first;
    const all = [...transport.sent, ...second.sent].map((s) => s.key);
    // Every subscriber once: the one whose call was cut off (it did arrive) was not sent again.
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(30);
    expect(second.sent.length).toBe(30 - sentBefore);
    expect((await store.get(n.id))!.announce).toMatchObject({ status: 'done', matched: 30, sent: 29, uncertain: 1 });
  });

  it('a user who stops the notices mid-sending gets nothing more; platform errors are retried, refusals given up on', async () => {
    const transport = new RecordingTransport('telegram');
    for (let i = 0; i < 12; i++) await subscribe('telegram', String(i));
    const n = await notice();
    const failures = new Map([['3', 2], ['4', 2]]);
    transport.beforeSend = async (subscriber, count) => {
      if (count === 2) await subscriptions.unsubscribe('telegram:11');
      const left = failures.get(subscriber.userId) ?? 0;
      failures.set(subscriber.userId, left - 1);
      if (subscriber.userId === '3' && left > 0) throw new Error('Telegram unreachable');
      if (subscriber.userId === '4' && left > 0) throw new RateLimitedError(0);
      if (subscriber.userId === '5') throw new PermanentSendError('Telegram sendMessage: Forbidden: bot was blocked by the user');
    };
    expect(await broadcaster([transport], 1).run(n.id, 'announce')).toBe('done');
    const keys = transport.sent.map((s) => s.key);
    expect(keys).not.toContain('telegram:11');
    expect(keys).not.toContain('telegram:5');
    expect(keys).toEqual(expect.arrayContaining(['telegram:3', 'telegram:4']));
    expect(new Set(keys).size).toBe(keys.length);
    const progress = (await store.get(n.id))!.announce;
    expect(progress.sent).toBe(10);
    expect(progress.failed).toBe(1);
    expect(progress.sent + progress.failed + progress.skipped).toBe(progress.matched);
    expect(errors.map((e) => e.what)).toEqual(['a announce on telegram was given up on']);
  });

  it('a notice cancelled while it goes out stops; a reminder after the event goes to nobody', async () => {
    const transport = new RecordingTransport('telegram');
    for (let i = 0; i < 20; i++) await subscribe('telegram', String(i));
    const n = await notice();
    transport.beforeSend = async (_subscriber, count) => {
      if (count === 3) await store.cancel(n.id, 'staff1', new Date());
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    expect(await broadcaster([transport], 1).run(n.id, 'announce')).toBe('cancelled');
    expect(transport.sent.length).toBeLessThan(10);
    expect((await store.get(n.id))!.announce.status).toBe('cancelled');
    expect(await broadcaster([transport]).run(n.id, 'reminder')).toBe('cancelled');

    const past = await notice({ startsAt: new Date(Date.now() - 60_000).toISOString() });
    const before = transport.sent.length;
    expect(await broadcaster([transport]).run(past.id, 'reminder')).toBe('missed');
    expect(transport.sent.length).toBe(before);
  });

  it('a cancellation goes to exactly those the notice reached, in their language, once; never as the notice template', async () => {
    const telegram = new RecordingTransport('telegram');
    const whatsapp = new RecordingTransport('whatsapp');
    await subscribe('telegram', '1', 'de', { country: 'GH' });
    await subscribe('telegram', '2', 'ar', { country: 'GH' });
    await subscribe('telegram', '3', 'en', { country: 'SN' }); // not in the notice's countries
    await subscribe('whatsapp', '4', 'fr', { country: 'GH' });
    await subscribe('whatsapp', '5', 'fr', { country: 'GH' });
    const n = await notice({ countries: ['GH'] });
    // The announcement to WhatsApp 5 is refused: it never reached them.
    whatsapp.beforeSend = (subscriber) => {
      if (subscriber.userId === '5') throw new PermanentSendError('Graph API HTTP 400: recipient not on WhatsApp');
    };
    const b = broadcaster([telegram, whatsapp]);
    expect(await b.run(n.id, 'announce')).toBe('done');
    expect(telegram.sent.length + whatsapp.sent.length).toBe(3);
    whatsapp.beforeSend = undefined;
    // One who opted in after the announcement hears nothing of the cancellation either.
    await subscribe('telegram', '6', 'en', { country: 'GH' });
    // WhatsApp 4's window has closed since: a cancellation cannot go as the notice template.
    whatsapp.windowClosed.add('4');
    await store.cancel(n.id, 'staff1', new Date());
    telegram.sent.length = 0;
    whatsapp.sent.length = 0;
    expect(await b.run(n.id, 'cancellation')).toBe('done');
    expect(telegram.sent.map((s) => s.key).sort()).toEqual(['telegram:1', 'telegram:2']);
    expect(whatsapp.sent).toEqual([]);
    const german = telegram.to('telegram:1')[0]!.delivery;
    expect(german.kind === 'message' && german.message).toMatchObject({ id: `notice:${n.id}:telegram:1:cancellation`, language: 'de' });
    const text = german.kind === 'message' ? german.message.text : '';
    expect(text).toContain('Abgesagt: **Virtuelle Jobmesse: Pflege** findet nicht statt.');
    expect(text).toMatch(/Wann: /);
    expect(text).not.toContain('https://');
    const arabic = telegram.to('telegram:2')[0]!.delivery;
    expect(arabic.kind === 'message' && arabic.message).toMatchObject({ language: 'ar', direction: 'rtl' });
    expect((await store.get(n.id))!.cancellation).toMatchObject({ status: 'done', matched: 3, sent: 2, skipped: 1, failed: 0 });
    expect(errors).toHaveLength(1); // the refused announcement
    // Run again (a retry): nobody is told twice.
    await store.finish(n.id, 'cancellation', 'sending', new Date());
    expect(await b.run(n.id, 'cancellation')).toBe('done');
    expect(telegram.sent).toHaveLength(2);
  });

  it('keeps to the notices’ rate and, with the replies, to the platform’s; a reply waits at most a slot', async () => {
    const rates = { platformPerSecond: 12, noticesPerSecond: 8 };
    const transport = new RecordingTransport('telegram', rates);
    for (let i = 0; i < 24; i++) await subscribe('telegram', String(i));
    const n = await notice();
    // Replies at 4 a second meanwhile, through the outbound worker's throttle.
    const replies: number[] = [];
    const waits: number[] = [];
    const throttle = new SendThrottle(redis, prefix);
    let sending = true;
    const chatting = (async () => {
      while (sending) {
        const asked = Date.now();
        await throttle.take('telegram', rates.platformPerSecond);
        waits.push(Date.now() - asked);
        replies.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const started = Date.now();
    await broadcaster([transport], 8).run(n.id, 'announce');
    sending = false;
    await chatting;
    const notices = transport.sent.map((s) => s.at);
    expect(notices).toHaveLength(24);
    expect(maxInAnySecond(notices)).toBeLessThanOrEqual(8);
    expect(maxInAnySecond([...notices, ...replies])).toBeLessThanOrEqual(12);
    // 24 at 8 a second: about three seconds, not much more.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(Math.ceil(1000 / rates.platformPerSecond) + 20);
  });
});
