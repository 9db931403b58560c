import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consoleSignIn } from '../helpers/console-pages.js';
import { RedisConversationStore } from '../../src/conversation/redis-stores.js';
import { newConversation } from '../../src/core/conversation.js';
import type { Language } from '../../src/core/knowledge.js';
import { runAdvisorCommand } from '../../src/handoff/advisors/console/account-commands.js';
import { FakeGraphApiServer, signedWebhook, WebhookBuilder } from '../helpers/fake-graph-api-server.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';
import { maxInAnySecond } from '../helpers/send-rates.js';

const PASSWORD = 'correct horse battery';
const APP_SECRET = 'notices-app-secret';
/** The reminder's "hour" in this test. */
const LEAD_MS = 6_000;
const ZONE = 'Africa/Lagos';

let telegram: FakeTelegramServer;
let graph: FakeGraphApiServer;
let lotse: Awaited<ReturnType<typeof runLotse>>;
let redis: Redis;
const build = new WebhookBuilder();
/** When each Telegram message reached the Bot API. */
const telegramTimes: { chat: string; text: string; at: number }[] = [];

interface TestUser {
  channel: 'telegram' | 'whatsapp';
  id: string;
  language: Language;
  country?: string;
  audience?: 'prospective' | 'returnee';
  /** What the user writes to Lotse, in order. */
  writes: string[];
  /** Whether the notice (country GH, languages en/de/ar, prospective migrants) is for them. */
  expected: boolean;
}

const USERS: TestUser[] = [
  { channel: 'telegram', id: '801', language: 'en', country: 'GH', audience: 'prospective', writes: ['notify me about job fairs and trainings'], expected: true },
  { channel: 'telegram', id: '802', language: 'de', country: 'GH', audience: 'prospective', writes: ['Benachrichtige mich über Jobmessen und Schulungen'], expected: true },
  { channel: 'telegram', id: '803', language: 'fr', country: 'SN', audience: 'prospective', writes: ["Prévenez-moi des salons de l'emploi et des formations"], expected: false },
  { channel: 'telegram', id: '804', language: 'en', country: 'GH', audience: 'prospective', writes: ['How do I find job fairs?'], expected: false },
  { channel: 'telegram', id: '805', language: 'en', country: 'GH', audience: 'prospective', writes: ['notify me about job fairs and trainings', 'stop notices'], expected: false },
  { channel: 'telegram', id: '806', language: 'en', country: 'GH', audience: 'returnee', writes: ['notify me about job fairs and trainings'], expected: false },
  { channel: 'telegram', id: '807', language: 'vi', country: 'GH', audience: 'prospective', writes: ['Thông báo cho tôi về hội chợ việc làm và các khóa đào tạo'], expected: false },
  { channel: 'telegram', id: '808', language: 'en', audience: 'prospective', writes: ['notify me about job fairs and trainings'], expected: false },
  { channel: 'whatsapp', id: '4917600000101', language: 'ar', country: 'GH', audience: 'prospective', writes: ['أبلغني عن معارض التوظيف والدورات التدريبية'], expected: true },
  { channel: 'whatsapp', id: '4917600000102', language: 'en', country: 'GH', audience: 'prospective', writes: ['notify me about job fairs and trainings'], expected: true },
  { channel: 'whatsapp', id: '4917600000103', language: 'en', country: 'GH', audience: 'prospective', writes: ['Hello'], expected: false },
];
const INSIDE = '4917600000101';
const OUTSIDE = '4917600000102';

beforeAll(async () => {
  telegram = await new FakeTelegramServer().start();
  telegram.onSend = (message) => void telegramTimes.push({ chat: String(message.chat_id), text: message.text, at: Date.now() });
  graph = await new FakeGraphApiServer().start();
  lotse = await runLotse(
    {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.url,
      WHATSAPP_CLOUD_TOKEN: graph.token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'notices-verify',
      WHATSAPP_GRAPH_API_URL: graph.url,
      WHATSAPP_CLOUD_NOTICE_TEMPLATE_NAME: 'lotse_event_notice',
      WHATSAPP_CLOUD_NOTICE_TEMPLATE_LANGUAGES: 'en=en_US,de,ar',
      // Slow enough to see the pace with two Telegram subscribers.
      NOTICE_TELEGRAM_RATE_LIMIT: '2',
    },
    undefined,
    { telegramBotInfo: telegram.botInfo, notices: { reminderLeadMs: LEAD_MS } },
  );
  redis = new Redis(inject('redisUrl'));
  // Users who agreed to the privacy notice before, with what their profiles say.
  const conversations = new RedisConversationStore(redis, { prefix: lotse.keyPrefix });
  const now = new Date().toISOString();
  for (const user of USERS) {
    const conversation = newConversation(`${user.channel}:${user.id}`, user.channel, user.id, user.language, now);
    conversation.consent = { ...conversation.consent, status: 'given', at: now };
    conversation.languageLocked = true;
    conversation.profile = { country: user.country, audience: user.audience };
    await conversations.save(conversation);
  }
  for (const account of [['amira', '--staff'], ['dren', '--display', 'Dren K.']]) {
    await runAdvisorCommand(['add', account[0]!, '--pools', 'default', '--password-stdin', ...account.slice(1)], { redis, prefix: lotse.keyPrefix, readPassword: async () => PASSWORD, out: () => undefined });
  }
}, 120_000);
afterAll(async () => {
  await lotse?.cleanup();
  await redis?.quit();
  await telegram?.stop();
  await graph?.close();
});

const sentTo = (chat: string) => telegram.messagesTo(Number(chat)).map((m) => m.text);
type GraphBody = { type?: string; text?: { body: string }; interactive?: { body: { text: string } }; template?: { name: string; language: { code: string }; components: { parameters: { text: string }[] }[] } };
const graphTo = (user: string) => graph.messagesTo(user) as GraphBody[];
const graphText = (body: GraphBody) => body.text?.body ?? body.interactive?.body.text ?? '';

async function write(user: TestUser, text: string) {
  if (user.channel === 'telegram') {
    const before = sentTo(user.id).length;
    telegram.pushUpdate(telegram.textUpdate(Number(user.id), text));
    await telegram.until(() => sentTo(user.id).length > before, 20_000, `the reply to ${user.id}`);
    return sentTo(user.id).at(-1)!;
  }
  const before = graphTo(user.id).length;
  const { payload, signature } = signedWebhook(build.body({ messages: [build.text(user.id, text)] }), APP_SECRET);
  const response = await fetch(`${lotse.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: payload });
  expect(response.status).toBe(200);
  await graph.until(() => graphTo(user.id).length > before, 20_000, `the reply to ${user.id}`);
  return graphText(graphTo(user.id).at(-1)!);
}

async function signIn(name: string): Promise<{ cookie: string; 'x-csrf-token': string; 'content-type': string }> {
  const { cookie, csrfToken } = await consoleSignIn(lotse.url!, name, PASSWORD);
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

/** The date and time a moment has in Lagos (UTC+1 all year), with seconds: the form's fields. */
function lagosTime(at: number): { date: string; time: string } {
  const iso = new Date(at + 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

async function announce(headers: Record<string, string>, title: string, inMs: number) {
  const body = { title, titles: { de: `${title} (DE)` }, ...lagosTime(Date.now() + inMs), timeZone: ZONE, link: 'https://www.example.org/jobfair', countries: ['GH'], languages: ['en', 'de', 'ar'], audience: 'prospective' };
  const response = await fetch(`${lotse.url}/advisor/api/notices`, { method: 'POST', headers, body: JSON.stringify(body) });
  const answer = (await response.json()) as { notice: { id: string; reminderAt?: string; reminder: { status: string } }; error?: string; fields?: Record<string, string> };
  expect(response.status, JSON.stringify(answer)).toBe(201);
  return answer.notice;
}

describe('event notices through the whole app (fake Bot API, fake Graph API)', () => {
  it('reach exactly the opted-in users of the right country, language and audience, in their language; outside the window as the template; the reminder follows; a cancelled notice reminds nobody and its announcement’s readers are told', async () => {
    for (const user of USERS) {
      for (const text of user.writes) {
        const reply = await write(user, text);
        if (/notify|Benachrichtige|Prévenez|Thông báo|أبلغني/.test(text)) expect(reply, `${user.id}: ${text}`).toMatch(/stop notices|Hinweise stoppen|stop avis|dừng thông báo|أوقف الإشعارات/);
      }
    }
    // The user outside the window: their last message was 25 hours ago.
    await redis.set(`${lotse.keyPrefix}wa:window:${OUTSIDE}`, String(Date.now() - 25 * 3_600_000), 'PX', 86_400_000);
    const beforeTelegram = new Map(USERS.map((user) => [user.id, user.channel === 'telegram' ? sentTo(user.id).length : graphTo(user.id).length]));
    const newSince = (user: TestUser) => (user.channel === 'telegram' ? sentTo(user.id) : graphTo(user.id).map((body) => (body.type === 'template' ? `template:${JSON.stringify(body.template)}` : graphText(body)))).slice(beforeTelegram.get(user.id));

    // An advisor may not announce.
    const advisor = await signIn('dren');
    expect((await fetch(`${lotse.url}/advisor/api/notices`, { method: 'POST', headers: advisor, body: '{}' })).status).toBe(403);
    expect((await fetch(`${lotse.url}/advisor/notices`, { headers: { cookie: advisor.cookie } })).status).toBe(403);

    const staff = await signIn('amira');
    const fair = await announce(staff, 'Virtual job fair: electricians', 12_000);
    expect(fair.reminder.status).toBe('scheduled');
    const cancelled = await announce(staff, 'Online training: cancelled', 13_000);
    // Cancelled once its announcement has gone out: everyone it reached is told.
    const listNotices = async () => (await (await fetch(`${lotse.url}/advisor/api/notices`, { headers: { cookie: staff.cookie } })).json()) as { upcoming: { id: string; announce: { status: string } }[] };
    for (const deadline = Date.now() + 10_000; (await listNotices()).upcoming.find((notice) => notice.id === cancelled.id)?.announce.status !== 'done' && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    const cancel = await fetch(`${lotse.url}/advisor/api/notices/${cancelled.id}/cancel`, { method: 'POST', headers: staff, body: '{}' });
    expect(cancel.status).toBe(200);
    const soon = await announce(staff, 'Information day: starting soon', 4_000);
    expect(soon.reminderAt).toBeUndefined();
    expect(soon.reminder.status).toBe('none');

    // Wait past the event: both reminders would have gone by then.
    await new Promise((resolve) => setTimeout(resolve, 13_500));
    const got = (user: TestUser, title: string) => newSince(user).filter((text) => text.includes(title) || text.includes(`${title} (DE)`));
    for (const user of USERS) {
      const fairs = got(user, 'Virtual job fair: electricians');
      // The announcement and its reminder, to exactly the users the notice is for.
      expect(fairs.length, `${user.id}`).toBe(user.expected ? 2 : 0);
      expect(got(user, 'Information day: starting soon').length, `${user.id}`).toBe(user.expected ? 1 : 0);
      // The cancelled notice: announced, then the word that it will not take place (not on WhatsApp
      // outside the window: the notice template cannot say it), and never reminded.
      const training = got(user, 'Online training: cancelled');
      const told = training.filter((text) => /Cancelled:|Abgesagt:|أُلغيت/.test(text));
      expect(training.length - told.length, `${user.id}`).toBe(user.expected ? 1 : 0);
      expect(told.length, `${user.id}`).toBe(user.expected && user.id !== OUTSIDE ? 1 : 0);
      expect(newSince(user).filter((text) => /Reminder|Erinnerung|تذكير/.test(text) && text.includes('cancelled'))).toEqual([]);
    }
    // In each user's language, the time in Lagos named, the link, how to stop.
    const [announced, reminded] = got(USERS[0]!, 'Virtual job fair: electricians');
    expect(announced).toContain('New event: <b>Virtual job fair: electricians</b>');
    expect(announced).toMatch(/When: \w+day, \w+ \d+, 20\d\d at \d+:\d\d:?\d* [AP]M West Africa (Standard )?Time/);
    expect(announced).toContain('https://www.example.org/jobfair');
    expect(announced).toContain('"stop notices"');
    expect(reminded).toContain('Reminder: <b>Virtual job fair: electricians</b> starts soon.');
    expect(got(USERS[0]!, 'Online training: cancelled')[1]).toMatch(/^Cancelled: <b>Online training: cancelled<\/b> will not take place\.\nWhen: /);
    expect(got(USERS[1]!, 'Virtual job fair')[0]).toContain('Neue Veranstaltung: <b>Virtual job fair: electricians (DE)</b>');
    const arabic = got(USERS.find((user) => user.id === INSIDE)!, 'Virtual job fair');
    expect(arabic[0]).toContain('فعالية جديدة: *Virtual job fair: electricians*');
    // Outside the window: the approved template, with title, date and link as its parameters.
    const templates = newSince(USERS.find((user) => user.id === OUTSIDE)!).filter((text) => text.startsWith('template:'));
    const fairTemplates = templates.filter((text) => text.includes('Virtual job fair')).map((text) => JSON.parse(text.slice('template:'.length)) as NonNullable<GraphBody['template']>);
    expect(fairTemplates).toHaveLength(2);
    expect(fairTemplates[0]).toEqual({ name: 'lotse_event_notice', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Virtual job fair: electricians' }, { type: 'text', text: expect.stringContaining('West Africa') }, { type: 'text', text: 'https://www.example.org/jobfair' }] }] });
    expect(newSince(USERS.find((user) => user.id === OUTSIDE)!).filter((text) => !text.startsWith('template:'))).toEqual([]);

    // Telegram's notices kept to 2 a second (NOTICE_TELEGRAM_RATE_LIMIT), counted where they arrive:
    // 50 ms of the second are left for the delivery's jitter on a machine busy with the whole app.
    const noticeTimes = telegramTimes.filter((message) => /New event|Neue Veranstaltung|Reminder|Erinnerung/.test(message.text)).map((message) => message.at);
    expect(noticeTimes.length).toBeGreaterThanOrEqual(6);
    expect(maxInAnySecond(noticeTimes, 950)).toBeLessThanOrEqual(2);

    // The console's list shows the counts.
    const list = (await (await fetch(`${lotse.url}/advisor/api/notices`, { headers: { cookie: staff.cookie } })).json()) as { past: { title: string; status: string; announce: Record<string, number | string>; reminder: Record<string, number | string>; cancellation: Record<string, number | string> }[] };
    const listed = list.past.find((notice) => notice.title === 'Virtual job fair: electricians')!;
    expect(listed.announce).toMatchObject({ status: 'done', matched: 4, sent: 4, failed: 0, skipped: 0 });
    expect(listed.reminder).toMatchObject({ status: 'done', matched: 4, sent: 4 });
    const wasCancelled = list.past.find((notice) => notice.title === 'Online training: cancelled')!;
    expect(wasCancelled.status).toBe('cancelled');
    expect(wasCancelled.reminder.status).toBe('cancelled');
    expect(wasCancelled.cancellation).toMatchObject({ status: 'done', matched: 4, sent: 3, skipped: 1 });
  }, 120_000);
});
