import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consoleSignIn } from '../helpers/console-pages.js';
import { runAdvisorCommand } from '../../src/handoff/advisors/console/account-commands.js';
import type { StatisticsReport } from '../../src/statistics/statistics-report.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

const PASSWORD = 'correct horse battery';
let telegram: FakeTelegramServer;
let lotse: Awaited<ReturnType<typeof runLotse>>;

beforeAll(async () => {
  telegram = await new FakeTelegramServer().start();
  lotse = await runLotse({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url }, undefined, { telegramBotInfo: telegram.botInfo });
});
afterAll(async () => {
  await lotse?.cleanup();
  await telegram?.stop();
});

/** A programme staff account on this Lotse, signed in: its cookie. */
async function staffSession(): Promise<string> {
  const redis = new Redis(inject('redisUrl'));
  try {
    await runAdvisorCommand(['add', 'sara', '--pools', '', '--staff', '--password-stdin'], { redis, prefix: lotse.keyPrefix, readPassword: async () => PASSWORD, out: () => undefined });
  } finally {
    await redis.quit();
  }
  return (await consoleSignIn(lotse.url!, 'sara', PASSWORD)).cookie;
}

describe('statistics from a real conversation (the whole app, Telegram)', () => {
  it('counts the conversation, its language and source, and keeps the unanswered question redacted until the user deletes their data', async () => {
    const chat = 9101;
    const say = async (text: string, replies: number, what: string) => {
      telegram.pushUpdate(telegram.textUpdate(chat, text));
      await telegram.until(() => telegram.messagesTo(chat).length >= replies, 20_000, what);
    };
    await say('Hello', 1, 'the privacy notice');
    telegram.pushUpdate(telegram.callbackUpdate(chat, 'choice:yes'));
    await telegram.until(() => telegram.messagesTo(chat).length >= 2, 20_000, 'the consent confirmation');
    await say('How many points do I need for the Opportunity Card?', 3, 'the answer');
    expect(telegram.messagesTo(chat)[2]!.text).toMatch(/at least 6 points/i);
    await say('How do I import my car to Germany? My name is Amina Diallo, +49 170 1234567', 4, 'the offer to rephrase');
    expect(telegram.messagesTo(chat)[3]!.text).toMatch(/ask again in other words/i);

    const cookie = await staffSession();
    const read = async () => {
      const response = await fetch(`${lotse.url}/advisor/api/statistics?days=7`, { headers: { cookie } });
      expect(response.status).toBe(200);
      return (await response.json()) as StatisticsReport;
    };
    const report = await read();
    expect(report.totals).toMatchObject({ started: 1, active: 1, answered: 1, unanswered: 1, escalations: 0 });
    expect(report.totals.turns).toBeGreaterThanOrEqual(3);
    expect(report.tables.channels).toEqual([{ key: 'telegram', label: 'Telegram', count: 1 }]);
    expect(report.tables.languages).toEqual([{ key: 'en', label: 'English', count: 1 }]);
    expect(report.tables.sources.map((row) => row.key)).toContain('opportunity-card-points');
    expect(report.tables.sources.find((row) => row.key === 'opportunity-card-points')?.label).toBe('Opportunity Card: the points system');
    expect(report.unanswered.total).toBe(1);
    expect(report.unanswered.groups[0]).toMatchObject({ count: 1, conversations: 1, languages: [{ language: 'en', count: 1 }], example: 'How do I import my car to Germany? My name is [name], [phone]' });
    expect(JSON.stringify(report)).not.toMatch(/1234567|9101/);

    // The page shows it too, and the CSV.
    const page = await (await fetch(`${lotse.url}/advisor/statistics?days=7`, { headers: { cookie } })).text();
    expect(page).toContain('How do I import my car to Germany? My name is [name], [phone]');
    expect(page).not.toContain('Amina');
    const csv = await (await fetch(`${lotse.url}/advisor/statistics.csv?days=7`, { headers: { cookie } })).text();
    expect(csv).toMatch(/,conversations_by_channel,telegram,Telegram,1\r\n/);
    expect(csv).toMatch(/,answers_by_source,opportunity-card-points,Opportunity Card: the points system,1\r\n/);

    // "delete": the question goes with the user's data; the counts (no one's data) stay.
    await say('delete', 6, 'the erasure confirmation');
    const after = await read();
    expect(after.unanswered.total).toBe(0);
    expect(after.unanswered.groups).toEqual([]);
    expect(after.totals).toMatchObject({ started: 1, answered: 1, unanswered: 1 });
  });
});
