import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

/** Every line the app logs, at the most talkative level. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text() {
    return this.lines.join('\n');
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('logs of a whole run', () => {
  it('hold no chat id, message id, token, secret or user text, even when sends and answers fail', async () => {
    const telegram = await new FakeTelegramServer('987654:SECRET-bot-token_xyz').start();
    const openai = await new FakeOpenAiServer().start();
    openai.behaviour = { kind: 'status', status: 500 };
    const capture = new LogCapture();
    const secret = 'webhook-secret_4711';
    const lotse = await runLotse(
      { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret, PUBLIC_URL: 'https://lotse.example.org', OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: 'sk-test-key-0815' },
      undefined,
      { telegramBotInfo: telegram.botInfo, logger: createLogger('trace', capture), backoffMs: () => 100 },
    );
    cleanup.push(async () => {
      await lotse.cleanup();
      await telegram.stop();
      await openai.stop();
    });
    const chatId = 770012345;
    let updateId = 1;
    const post = (update: object) =>
      fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify({ update_id: updateId++, ...update }) });
    const question = 'My passport number is C01X00T47 and I ask about the Opportunity Card points';
    await post(telegram.textUpdate(chatId, 'Hello'));
    await telegram.until(() => telegram.messagesTo(chatId).length === 1, 15_000, 'the privacy notice');
    await post(telegram.callbackUpdate(chatId, 'choice:yes'));
    await telegram.until(() => telegram.messagesTo(chatId).length === 2, 15_000, 'the consent');
    // The next sends fail: a 502 (retried, logged) and a 429 (deferred).
    telegram.serverErrors = 1;
    telegram.rateLimit = { count: 1, retryAfter: 1 };
    await post(telegram.textUpdate(chatId, question));
    await telegram.until(() => telegram.messagesTo(chatId).length === 3, 20_000, 'the answer after the failures');
    // A malformed but authenticated update, and an unauthenticated one.
    await post({ update_id: 5, message: { message_id: 9, date: 0, text: 'no chat here' } });
    await fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(telegram.textUpdate(chatId, 'x')) });

    // The web chat: a session, a message with personal data, and a malformed body.
    const session = await fetch(`${lotse.url}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = session.headers.getSetCookie().find((c) => c.startsWith('lotse_chat='))!.split(';')[0]!;
    const sessionId = cookie.split('=')[1]!;
    const web = (body: string) => fetch(`${lotse.url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body });
    expect((await web(JSON.stringify({ id: 'w1', text: 'Hello, write to farida.m@example.org' }))).status).toBe(202);
    expect((await web('{"id": 5, "text": ')).status).toBe(400);
    // Time for the web message's turn and reply to pass through the worker and the sender.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(capture.lines.length).toBeGreaterThan(0);
    // Something was logged about the failures, so the scan below looked at real error lines.
    expect(capture.text).toMatch(/will retry|recovered/);
    const forbidden = [String(chatId), `telegram:${chatId}`, telegram.token, '987654', 'SECRET-bot-token', secret, 'sk-test-key-0815', 'C01X00T47', 'Opportunity Card points', 'no chat here', sessionId, 'farida.m@example.org', `web:${sessionId}`];
    for (const value of forbidden) expect(capture.text, `the log holds "${value}"`).not.toContain(value);
  });
});
