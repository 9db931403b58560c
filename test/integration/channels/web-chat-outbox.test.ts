import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/core/message.js';
import { OUTBOX_LENGTH, webKeys, type WebReplyEvent } from '../../../src/channels/web/outbound.js';
import { openEvents, webChatApp, type WebChatApp } from './web-chat-harness.js';

let app: WebChatApp;
let url: string;
beforeAll(async () => {
  app = await webChatApp({ heartbeatMs: 60_000 });
  url = await app.listen();
});
afterAll(async () => {
  expect(await app?.close()).toEqual([]);
});

const reply = (session: string, n: number | string): OutboundMessage => ({ id: `web:${session}:m:${n}`, channel: 'web', userId: session, text: `reply ${n}`, language: 'en', direction: 'ltr' });
const texts = (events: { data: string }[]) => events.map((event) => (JSON.parse(event.data) as { text: string }).text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the web outbox (a Redis stream per session)', () => {
  it('keeps about the last 200 replies, for a day', async () => {
    const { id } = await app.session();
    for (let n = 0; n < 3 * OUTBOX_LENGTH; n++) await app.channel.sender.send(reply(id, n), 0);
    const { outbox } = webKeys(app.prefix, id);
    const length = await app.redis.xlen(outbox);
    expect(length).toBeGreaterThanOrEqual(OUTBOX_LENGTH);
    expect(length).toBeLessThanOrEqual(OUTBOX_LENGTH + 100);
    expect(await app.redis.ttl(outbox)).toBeGreaterThan(86_000);
    const [newest] = await app.redis.xrevrange(outbox, '+', '-', 'COUNT', 1);
    expect(JSON.parse(newest![1][1]!)).toEqual({
      id: `web:${id}:m:599`,
      text: 'reply 599',
      html: '<p>reply 599</p>\n',
      language: 'en',
      direction: 'ltr',
      buttons: [],
      sources: [],
      sourceLabels: { heading: 'Sources', asOf: 'as of {{date}}' },
    });
  });

  it('sends the reply rendered for the page, with its sources and their labels, without a sources list left in the text', async () => {
    const { cookie, id } = await app.session();
    const stream = openEvents(url, { cookie });
    await stream.response;
    const source = { id: 'card', title: 'Opportunity Card', url: 'https://www.make-it-in-germany.com/en/card', asOf: '2026-11-22' };
    const legacy = `اتصل على +49 30 1815-1111.\n\nالمصادر:\n[1] Opportunity Card، محدّث حتى 2026-11-22: ${source.url}`;
    await app.channel.sender.send({ ...reply(id, 'ar'), text: legacy, language: 'ar', direction: 'rtl', sources: [source] }, 0);
    await app.channel.sender.send({ ...reply(id, 'en'), text: 'You need **6 points**.', sources: [source], sourceLabels: { heading: 'Quellen', asOf: 'Stand' } }, 0);
    const [arabic, english] = (await stream.waitFor(2)).map((event) => JSON.parse(event.data) as WebReplyEvent);
    expect(arabic).toMatchObject({ text: legacy, html: '<p>اتصل على <bdi dir="ltr">+49 30 1815-1111</bdi>.</p>\n', sources: [source], sourceLabels: { heading: 'المصادر', asOf: 'محدّث حتى {{date}}' } });
    expect(english).toMatchObject({ html: '<p>You need <strong>6 points</strong>.</p>\n', sourceLabels: { heading: 'Quellen', asOf: 'Stand' } });
    stream.close();
  });

  it('streams each reply once, with its stream entry id as the event id', async () => {
    const { cookie, id } = await app.session();
    const stream = openEvents(url, { cookie });
    await stream.response;
    for (let n = 0; n < 3; n++) await app.channel.sender.send(reply(id, n), 0);
    const events = await stream.waitFor(3);
    expect(texts(events)).toEqual(['reply 0', 'reply 1', 'reply 2']);
    expect(events.every((event) => /^\d+-\d+$/.test(event.id ?? ''))).toBe(true);
    await sleep(100);
    expect(stream.events).toHaveLength(3);
    stream.close();
  });

  it('resumes after a reconnect with exactly the replies missed (Last-Event-ID)', async () => {
    const { cookie, id } = await app.session();
    const first = openEvents(url, { cookie });
    await first.response;
    for (let n = 0; n < 3; n++) await app.channel.sender.send(reply(id, n), 0);
    const seen = await first.waitFor(3);
    first.close();
    for (let n = 3; n < 6; n++) await app.channel.sender.send(reply(id, n), 0);

    const resumed = openEvents(url, { cookie, 'last-event-id': seen[2]!.id! });
    await resumed.response;
    await app.channel.sender.send(reply(id, 6), 0);
    expect(texts(await resumed.waitFor(4))).toEqual(['reply 3', 'reply 4', 'reply 5', 'reply 6']);
    await sleep(100);
    expect(resumed.events).toHaveLength(4);
    resumed.close();

    // A new page (no Last-Event-ID) redraws the whole conversation.
    const fresh = openEvents(url, { cookie });
    expect(texts(await fresh.waitFor(7))).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => `reply ${n}`));
    fresh.close();
  });

  it('ignores a malformed Last-Event-ID and starts from the beginning', async () => {
    const { cookie, id } = await app.session();
    await app.channel.sender.send(reply(id, 'a'), 0);
    for (const lastEventId of ['7', 'abc', '1-2-3', '99999999999999999999999-0']) {
      const stream = openEvents(url, { cookie, 'last-event-id': lastEventId });
      expect(texts(await stream.waitFor(1))).toEqual(['reply a']);
      stream.close();
    }
  });

  it('shows what follows an erasure on a page left open: the outbox is deleted and starts again', async () => {
    const { cookie, id } = await app.session();
    const stream = openEvents(url, { cookie });
    await stream.response;
    await app.channel.sender.send(reply(id, 'before'), 0);
    await stream.waitFor(1);
    // What the erasure does (src/main.ts), then the confirmation and the new privacy notice.
    await app.redis.del(webKeys(app.prefix, id).outbox);
    await app.channel.sender.send(reply(id, 'deleted'), 0);
    await app.channel.sender.send(reply(id, 'notice'), 0);
    expect(texts(await stream.waitFor(3))).toEqual(['reply before', 'reply deleted', 'reply notice']);
    // The page learns where a conversation started anew, to forget what it kept of the old one.
    expect(stream.events.map((event) => (JSON.parse(event.data) as { first?: boolean }).first)).toEqual([true, true, undefined]);

    // A reconnect that still carries the id of an entry from before the erasure gets the new ones.
    const resumed = openEvents(url, { cookie, 'last-event-id': stream.events[0]!.id! });
    expect(texts(await resumed.waitFor(2))).toEqual(['reply deleted', 'reply notice']);
    stream.close();
    resumed.close();
  });

  it('numbers a recreated outbox after the deleted one, even within the same millisecond', async () => {
    const { id } = await app.session();
    const { outbox } = webKeys(app.prefix, id);
    const newestId = async () => ((await app.redis.xrevrange(outbox, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]![0];
    const toNumbers = (entryId: string) => entryId.split('-').map(BigInt) as [bigint, bigint];
    for (let round = 0; round < 200; round++) {
      await app.channel.sender.send(reply(id, `old ${round}`), 0);
      const [oldMs, oldSeq] = toNumbers(await newestId());
      await app.redis.del(outbox);
      await app.channel.sender.send(reply(id, `new ${round}`), 0);
      const [newMs, newSeq] = toNumbers(await newestId());
      expect(newMs > oldMs || (newMs === oldMs && newSeq > oldSeq)).toBe(true);
    }
  });

  it('reads a recreated outbox whose new ids are not after the old ones (erased within a millisecond)', async () => {
    const { cookie, id } = await app.session();
    const { outbox, notify } = webKeys(app.prefix, id);
    const stream = openEvents(url, { cookie });
    await stream.response;
    await app.channel.sender.send(reply(id, 'before'), 0);
    await stream.waitFor(1);
    await app.redis.del(outbox);
    // Stream ids come from the clock; force the worst case: an id at or before the page's last one.
    await app.redis.xadd(outbox, '1-1', 'reply', JSON.stringify({ ...reply(id, 'after'), buttons: [], sources: [] }));
    await app.redis.publish(notify, 'first:1-1');
    expect(texts(await stream.waitFor(2))).toEqual(['reply before', 'reply after']);

    // An id beyond the newest entry also means the outbox started again.
    const resumed = openEvents(url, { cookie, 'last-event-id': stream.events[0]!.id! });
    expect(texts(await resumed.waitFor(1))).toEqual(['reply after']);
    stream.close();
    resumed.close();
  });

  it('catches a reply whose notification was lost, at the next keep-alive', async () => {
    const quick = await webChatApp({ heartbeatMs: 100 });
    try {
      const { cookie, id } = await quick.session();
      const stream = openEvents(await quick.listen(), { cookie });
      await stream.response;
      // Written without the notification, as if the subscriber connection had been reconnecting.
      await quick.redis.xadd(webKeys(quick.prefix, id).outbox, '*', 'reply', JSON.stringify({ ...reply(id, 'quiet'), buttons: [], sources: [] }));
      expect(texts(await stream.waitFor(1, 2_000))).toEqual(['reply quiet']);
      stream.close();
    } finally {
      expect(await quick.close()).toEqual([]);
    }
  });

  it('passes "typing" on, and ends open streams when the channel stops', async () => {
    const { cookie, id } = await app.session();
    const stream = openEvents(url, { cookie });
    await stream.response;
    await app.channel.sender.typing!(id);
    expect((await stream.waitFor(1))[0]!.event).toBe('typing');
    await app.channel.stop();
    await stream.ended;
    stream.close();
  });
});
