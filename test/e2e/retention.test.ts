import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/infra/redis.js';
import { DeadLetters } from '../../src/queue/dead-letters.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** Every value stored under the prefixes, whatever its type, as one text to search. */
async function everything(prefixes: string[]): Promise<string> {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
  const parts: string[] = [];
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        parts.push(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
        else if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
        else if (type === 'set') parts.push(...(await redis.smembers(key)));
        else if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  }
  redis.disconnect();
  return parts.join('\n');
}

async function rawValue(key: string): Promise<string | null> {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
  const value = await redis.get(key);
  redis.disconnect();
  return value;
}

async function ttlOf(key: string): Promise<number> {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
  const ttl = await redis.ttl(key);
  redis.disconnect();
  return ttl;
}

async function start(telegram: FakeTelegramServer, extra: Parameters<typeof runLotse>[2] = {}) {
  const lotse = await runLotse({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url }, undefined, { telegramBotInfo: telegram.botInfo, ...extra });
  cleanup.push(() => lotse.cleanup());
  return lotse;
}

describe('what Redis keeps', () => {
  it('of a user who has not consented: only their question, held a day at most (phone numbers redacted), and nothing after "no"', async () => {
    const telegram = await new FakeTelegramServer().start();
    cleanup.push(() => telegram.stop());
    const lotse = await start(telegram);
    const text = 'Hallo, ich heisse Farida Mansouri und brauche Hilfe mit meinem Visum, +49 171 2345678';
    telegram.pushUpdate(telegram.textUpdate(9101, text));
    await telegram.until(() => telegram.messagesTo(9101).length === 1, 15_000, 'the privacy notice');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The question waits for the answer to the notice in the conversation record alone, which expires within a day.
    const conversationKey = `${lotse.keyPrefix}conv:telegram:9101`;
    const everywhereElse = (await everything([`${lotse.queuePrefix}:`, lotse.keyPrefix])).replace((await rawValue(conversationKey)) ?? '', '');
    for (const word of ['Farida', 'Mansouri', 'Visum', 'brauche Hilfe', '2345678']) expect(everywhereElse).not.toContain(word);
    expect(await rawValue(conversationKey)).toContain('brauche Hilfe');
    expect(await rawValue(conversationKey)).not.toContain('2345678');
    expect(await ttlOf(conversationKey)).toBeLessThanOrEqual(86_400);

    telegram.pushUpdate(telegram.textUpdate(9101, 'nein'));
    await telegram.until(() => telegram.messagesTo(9101).length === 2, 15_000, 'the confirmation of "no"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await everything([`${lotse.queuePrefix}:`, lotse.keyPrefix]);
    for (const word of ['Farida', 'Mansouri', 'Visum', 'brauche Hilfe', '2345678']) expect(stored).not.toContain(word);
  });

  it('of a message given up on: only its redacted text, in the dead letters; the user is told', async () => {
    const telegram = await new FakeTelegramServer().start();
    cleanup.push(() => telegram.stop());
    const lotse = await start(telegram, {
      backoffMs: () => 50,
      handle: () => async () => {
        throw new Error('the conversation store is unreachable');
      },
    });
    telegram.pushUpdate(telegram.textUpdate(9102, 'Call me on +49 171 2345678 about my appeal'));
    await telegram.until(() => telegram.messagesTo(9102).length === 1, 15_000, 'the apology');
    expect(telegram.messagesTo(9102)[0]!.text).toMatch(/something went wrong/i);
    const client = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    const letters = await new DeadLetters(client, lotse.keyPrefix).list('inbound');
    client.disconnect();
    expect(letters).toHaveLength(1);
    expect(letters[0]!.text).toContain('about my appeal');
    expect(letters[0]!.text).not.toContain('2345678');
    const stored = await everything([`${lotse.queuePrefix}:`, lotse.keyPrefix]);
    expect(stored).not.toContain('2345678');
  });
});
