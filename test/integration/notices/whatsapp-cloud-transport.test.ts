import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { ConversationWindow } from '../../../src/channels/whatsapp/cloud/window.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { BroadcastThrottle } from '../../../src/notices/broadcast-throttle.js';
import { Broadcaster } from '../../../src/notices/broadcaster.js';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { WhatsAppCloudNoticeTransport, type NoticeTemplate } from '../../../src/notices/whatsapp-cloud-transport.js';
import { eventNotice } from '../../helpers/event-notice.js';
import { cloudSettings, FakeGraphApiServer } from '../../helpers/fake-graph-api-server.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

let graph: FakeGraphApiServer;
let redis: Redis;
let prefix: string;

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
  redis = new Redis(inject('redisUrl'));
  prefix = `notices-wa-${randomUUID().slice(0, 8)}:`;
});
afterEach(async () => {
  await graph.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const INSIDE = '4917600000011';
const OUTSIDE = '4917600000012';
const NEVER = '4917600000013';

async function send(template?: NoticeTemplate, cancellation?: { template?: NoticeTemplate }) {
  const settings = cloudSettings(graph);
  const window = new ConversationWindow(redis, prefix, settings);
  await window.opened(INSIDE, Date.now() - 60_000);
  await window.opened(OUTSIDE, Date.now() - 25 * 3_600_000);
  const subscriptions = new RedisNoticeSubscriptions(redis, prefix);
  for (const [userId, language] of [[INSIDE, 'es'], [OUTSIDE, 'ur'], [NEVER, 'vi']] as const) {
    // One after the other: a sending walks them in this order.
    await subscriptions.subscribe({ conversationKey: `whatsapp:${userId}`, channel: 'whatsapp', userId, language }, new Date(Date.now() - 60_000));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const store = new NoticeStore(redis, prefix);
  const notice = eventNotice({ title: 'Online training: German for nurses', titles: { ur: 'آن لائن تربیت: نرسوں کے لیے جرمن' }, startsAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: 'Asia/Karachi', link: 'https://www.example.org/t' });
  await store.create(notice);
  const templates = { ...(template ? { notice: template } : {}), ...(cancellation?.template ? { cancellation: cancellation.template } : {}) };
  const transport = new WhatsAppCloudNoticeTransport(settings, redis, prefix, { platformPerSecond: 50, noticesPerSecond: 40 }, templates);
  const broadcaster = new Broadcaster(store, subscriptions, [transport], new BroadcastThrottle(redis, prefix), new I18nTranslator(Messages.create()), { concurrency: 1 });
  expect(await broadcaster.run(notice.id, 'announce')).toBe('done');
  if (cancellation) {
    await store.cancel(notice.id, 'staff1', new Date());
    expect(await broadcaster.run(notice.id, 'cancellation')).toBe('done');
  }
  return (await store.get(notice.id))!;
}

describe('event notices on the WhatsApp Cloud API', () => {
  it('inside the 24-hour window a text; outside it the notice template with title, date and link in the user’s language', async () => {
    const template: NoticeTemplate = { name: 'lotse_event_notice', languages: [{ language: 'en', code: 'en_US' }, { language: 'ur', code: 'ur' }] };
    const sent = await send(template);
    const inside = graph.messagesTo(INSIDE);
    expect(inside).toHaveLength(1);
    expect(inside[0]).toMatchObject({ type: 'text', text: { body: expect.stringContaining('Nuevo evento: *Online training: German for nurses*') } });
    expect((inside[0] as { text: { body: string } }).text.body).toContain('https://www.example.org/t');
    expect((inside[0] as { text: { body: string } }).text.body).toContain('"parar avisos"');
    const outside = graph.messagesTo(OUTSIDE);
    expect(outside).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: OUTSIDE,
        type: 'template',
        template: {
          name: 'lotse_event_notice',
          language: { code: 'ur' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'آن لائن تربیت: نرسوں کے لیے جرمن' }, { type: 'text', text: expect.stringContaining('2026') }, { type: 'text', text: 'https://www.example.org/t' }] }],
        },
      },
    ]);
    // A language the template is not approved in gets its first language, with the date in that language.
    const never = graph.messagesTo(NEVER);
    expect(never).toMatchObject([{ type: 'template', template: { language: { code: 'en_US' }, components: [{ parameters: [{ text: 'Online training: German for nurses' }, { text: expect.stringMatching(/^\w+day, /) }, {}] }] } }]);
    expect(sent.announce).toMatchObject({ matched: 3, sent: 3, skipped: 0 });
  });

  it('without a notice template, nobody outside the window gets anything (skipped and counted), and no free text', async () => {
    const sent = await send(undefined);
    expect(graph.messagesTo(INSIDE)).toHaveLength(1);
    expect(graph.messagesTo(OUTSIDE)).toEqual([]);
    expect(graph.messagesTo(NEVER)).toEqual([]);
    expect(sent.announce).toMatchObject({ matched: 3, sent: 1, skipped: 2 });
  });

  it('a cancellation: a text inside the window, its own template outside it (title and date), never the notice template', async () => {
    const notice: NoticeTemplate = { name: 'lotse_event_notice', languages: [{ language: 'en', code: 'en_US' }, { language: 'ur', code: 'ur' }] };
    const cancelled: NoticeTemplate = { name: 'lotse_event_cancelled', languages: [{ language: 'en', code: 'en_US' }, { language: 'ur', code: 'ur' }] };
    const sent = await send(notice, { template: cancelled });
    const [, told] = graph.messagesTo(INSIDE);
    expect((told as { text: { body: string } }).text.body).toMatch(/^Cancelado: \*Online training: German for nurses\* no se llevará a cabo\.\nCuándo: /);
    expect((told as { text: { body: string } }).text.body).not.toContain('https://');
    expect(graph.messagesTo(OUTSIDE)[1]).toMatchObject({ type: 'template', template: { name: 'lotse_event_cancelled', language: { code: 'ur' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'آن لائن تربیت: نرسوں کے لیے جرمن' }, { type: 'text', text: expect.stringContaining('2026') }] }] } });
    expect(sent.cancellation).toMatchObject({ status: 'done', matched: 3, sent: 3, skipped: 0 });

    // Without a cancellation template, those outside the window are skipped: the notice template is not sent again.
    graph.calls.length = 0;
    const without = await send(notice, {});
    expect(graph.messagesTo(OUTSIDE).filter((body) => (body as { template?: { name: string } }).template?.name === 'lotse_event_notice')).toHaveLength(1);
    expect(graph.messagesTo(OUTSIDE)).toHaveLength(1);
    expect(without.cancellation).toMatchObject({ matched: 3, sent: 1, skipped: 2 });
  });

  it('when Meta says the window has closed after all, the template goes instead', async () => {
    graph.failNext(1, { status: 400, code: 131047, message: 'Re-engagement message' });
    const sent = await send({ name: 'lotse_event_notice', languages: [{ language: 'es', code: 'es' }] });
    expect(graph.messagesTo(INSIDE)).toMatchObject([{ type: 'template', template: { name: 'lotse_event_notice', language: { code: 'es' } } }]);
    expect(sent.announce).toMatchObject({ matched: 3, sent: 3 });
  });
});
