import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

let telegram: FakeTelegramServer;
let running: Awaited<ReturnType<typeof runLotse>>[] = [];

beforeEach(async () => {
  telegram = await new FakeTelegramServer().start();
});
afterEach(async () => {
  for (const lotse of running.splice(0)) await lotse.cleanup();
  await telegram.stop();
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, ...extra });
async function start(extra: NodeJS.ProcessEnv = {}, roles?: Parameters<typeof runLotse>[1], options?: Parameters<typeof runLotse>[2]) {
  const lotse = await runLotse(env(extra), roles, { telegramBotInfo: telegram.botInfo, ...options });
  running.push(lotse);
  return lotse;
}

/** Takes a chat through consent (the yes button). */
async function consent(chatId: number) {
  telegram.pushUpdate(telegram.textUpdate(chatId, 'Hello'));
  await telegram.until(() => telegram.messagesTo(chatId).length === 1, 15_000, 'the privacy notice');
  const notice = telegram.messagesTo(chatId)[0]!;
  expect(notice.reply_markup?.inline_keyboard[0]!.map((b) => b.callback_data)).toEqual(['choice:yes', 'choice:no']);
  telegram.pushUpdate(telegram.callbackUpdate(chatId, 'choice:yes'));
  await telegram.until(() => telegram.messagesTo(chatId).length === 2, 15_000, 'the consent confirmation');
}

describe('Telegram, long polling', () => {
  it('a question gets a cited answer in HTML, sources as links', async () => {
    await start();
    await consent(501);
    telegram.pushUpdate(telegram.textUpdate(501, 'How many points do I need for the Opportunity Card?'));
    await telegram.until(() => telegram.messagesTo(501).length === 3, 15_000, 'the answer');
    const answer = telegram.messagesTo(501)[2]!;
    expect(answer.parse_mode).toBe('HTML');
    expect(answer.text).toMatch(/at least 6 points/i);
    expect(answer.text).toMatch(/\[1\] <a href="https:\/\/[^"]+">[^<]+<\/a>, as of 2026-\d\d-\d\d/);
    // What a person sees: no Markdown left over, no table pipes.
    expect(answer.text).not.toMatch(/\*\*|\|/);
    // Under the answer: talk to an advisor, change language.
    expect(answer.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(expect.arrayContaining(['cmd:advisor', 'cmd:language']));
    telegram.pushUpdate(telegram.callbackUpdate(501, 'cmd:advisor'));
    await telegram.until(() => telegram.messagesTo(501).length === 4, 15_000, 'the handoff notice');
    expect(telegram.messagesTo(501)[3]!.text).toMatch(/human advisor/);
  });

  it('a duplicated update gets exactly one reply', async () => {
    await start();
    await consent(502);
    const update = telegram.textUpdate(502, 'help');
    telegram.pushUpdate(update);
    telegram.pushUpdate(update);
    await telegram.until(() => telegram.messagesTo(502).length >= 3, 15_000, 'the help reply');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(telegram.messagesTo(502)).toHaveLength(3);
  });

  it('a 429 is retried after retry_after, and the reply is sent once', async () => {
    await start();
    telegram.rateLimit = { count: 1, retryAfter: 2 };
    const sentAt = Date.now();
    telegram.pushUpdate(telegram.textUpdate(503, 'Hello'));
    await telegram.until(() => telegram.messagesTo(503).length === 1, 20_000, 'the notice after the 429');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(telegram.messagesTo(503)).toHaveLength(1);
  });

  it('voice notes and stickers get a helpful reply, never silence', async () => {
    await start();
    await consent(504);
    const voice = telegram.textUpdate(504, 'x');
    delete (voice.message as { text?: string }).text;
    (voice.message as Record<string, unknown>).voice = { file_id: 'v1', file_unique_id: 'v1', duration: 3 };
    telegram.pushUpdate(voice);
    await telegram.until(() => telegram.messagesTo(504).length === 3, 15_000, 'the voice reply');
    expect(telegram.messagesTo(504)[2]!.text).toMatch(/voice messages/i);
  });
});

describe('Telegram, webhook', () => {
  const secret = 'test-secret_123';

  it('refuses a call without the secret (401, nothing queued), accepts one with it, and registers the webhook', async () => {
    const lotse = await start({ TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret, PUBLIC_URL: 'https://lotse.example.org' });
    const setWebhook = telegram.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.body).toMatchObject({ url: 'https://lotse.example.org/telegram/webhook', secret_token: secret });
    const post = (update: unknown, headers: Record<string, string> = {}) =>
      fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });

    const update = telegram.pushUpdate(telegram.textUpdate(601, 'Hello'));
    expect((await post(update)).status).toBe(401);
    expect((await post(update, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect(await lotse.queues.inbound.length('telegram:601')).toBe(0);
    expect(Object.values(await lotse.queues.inbound.queue.getJobCounts('waiting', 'active', 'completed', 'delayed')).every((n) => n === 0)).toBe(true);
    expect(telegram.messagesTo(601)).toHaveLength(0);

    const accepted = await post(update, { 'x-telegram-bot-api-secret-token': secret });
    expect(accepted.status).toBe(200);
    await telegram.until(() => telegram.messagesTo(601).length === 1, 15_000, 'the reply to the webhook update');
    // Telegram redelivers an update it thinks failed: same message, no second reply.
    expect((await post(update, { 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(telegram.messagesTo(601)).toHaveLength(1);
    expect((await post({ nope: true }, { 'x-telegram-bot-api-secret-token': secret })).status).toBe(400);
  });
});

describe('shutdown', () => {
  it('loses nothing: messages taken while no worker runs are answered by the next worker', async () => {
    const gateway = await start({ TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'abc', PUBLIC_URL: 'https://x.example' }, { gateway: true, worker: false, sender: false });
    const update = telegram.textUpdate(701, 'Hello');
    const response = await fetch(`${gateway.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'abc' }, body: JSON.stringify({ update_id: 1, ...update }) });
    expect(response.status).toBe(200);
    await gateway.stop();
    running = running.filter((r) => r !== gateway);
    expect(telegram.messagesTo(701)).toHaveLength(0);
    // A new worker and sender on the same queues pick the message up.
    await start({}, { gateway: false, worker: true, sender: true }, { queuePrefix: gateway.queuePrefix, keyPrefix: gateway.keyPrefix });
    await telegram.until(() => telegram.messagesTo(701).length === 1, 15_000, 'the reply after restart');
  });
});

describe('typing', () => {
  it('shows "typing…" while a slow answer is prepared, and not for fast ones', async () => {
    const { FakeOpenAiServer } = await import('../helpers/fake-openai-server.js');
    const openai = await new FakeOpenAiServer().start();
    try {
      openai.behaviour = { kind: 'delay', ms: 1_500, content: 'You need at least 6 points [1].' };
      await start({ OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: 'test' });
      await consent(801);
      expect(telegram.calls.some((c) => c.method === 'sendChatAction')).toBe(false);
      telegram.pushUpdate(telegram.textUpdate(801, 'How many points do I need for the Opportunity Card?'));
      await telegram.until(() => telegram.messagesTo(801).length === 3, 20_000, 'the slow answer');
      expect(telegram.calls.some((c) => c.method === 'sendChatAction' && c.body.action === 'typing' && Number(c.body.chat_id) === 801)).toBe(true);
    } finally {
      await openai.stop();
    }
  });
});
