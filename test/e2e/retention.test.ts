import { afterAll, describe, expect, it } from 'vitest';
import type { AdvisorRef } from '../../src/core/case.js';
import { conversationKey } from '../../src/core/message.js';
import { createRedis } from '../../src/infra/redis.js';
import { shortHash } from '../../src/queue/lanes/lane-keys.js';
import { DeadLetters } from '../../src/queue/dead-letters.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';
import { everyJob, everything, found, storedKeys, type StoredKey } from '../helpers/stored-data.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

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
    telegram.pushUpdate(telegram.textUpdate(9102, 'Call me on +49 171 2345678 about my appeal. My name is Farid Haddad'));
    await telegram.until(() => telegram.messagesTo(9102).length === 1, 15_000, 'the apology');
    expect(telegram.messagesTo(9102)[0]!.text).toMatch(/something went wrong/i);
    const client = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    const letters = await new DeadLetters(client, lotse.keyPrefix).list('inbound');
    client.disconnect();
    expect(letters).toHaveLength(1);
    expect(letters[0]!.text).toContain('about my appeal');
    expect(letters[0]!.text).not.toContain('2345678');
    expect(letters[0]!.text).toContain('My name is [name]');
    const stored = await everything([`${lotse.queuePrefix}:`, lotse.keyPrefix]);
    expect(stored).not.toContain('2345678');
    expect(stored).not.toContain('Haddad');
  });

  it('of a user with a case: every key that holds anything of them expires within the retention period; with a day made 50 ms long, nothing is left after it', async () => {
    const DAY_MS = 86_400_000;
    const telegram = await new FakeTelegramServer().start();
    cleanup.push(() => telegram.stop());
    const lotse = await start(telegram, { laneSweep: { everyMs: 300, staleMs: 300 }, advisorTransports: [{ name: 'quiet', notify: async () => undefined }] });
    const chat = 770055501234;
    const texts = () => telegram.messagesTo(chat).map((m) => m.text);
    const say = async (update: Record<string, unknown>, replies: number) => {
      const before = texts().length;
      telegram.pushUpdate(update);
      await telegram.until(() => texts().length >= before + replies, 20_000, `${replies} replies`);
    };
    await say(telegram.textUpdate(chat, 'Hello'), 1);
    await say(telegram.callbackUpdate(chat, 'choice:yes'), 1);
    await say(telegram.textUpdate(chat, 'How many points do I need for the Opportunity Card? Wilhelmina Crabtree asks.'), 1);
    await say(telegram.textUpdate(chat, 'I want to talk to an advisor about my Pemberton diploma'), 2);
    const [opened] = await lotse.handoff.list(['default']);
    const amal: AdvisorRef = { id: 'amal', name: 'Amal', via: 'console' };
    expect((await lotse.handoff.claim(opened!.id, amal)).ok).toBe(true);
    await telegram.until(() => texts().some((t) => /now with you/.test(t)), 10_000, 'the claim notice');
    telegram.pushUpdate(telegram.textUpdate(chat, 'The Pemberton office refused it'));
    await expect.poll(async () => (await lotse.handoff.events(opened!.id)).some((e) => e.type === 'user_message'), { timeout: 10_000 }).toBe(true);
    expect((await lotse.handoff.reply(opened!.id, amal, 'Wilhelmina, you can appeal.', 'm-1')).ok).toBe(true);
    expect((await lotse.handoff.resolve(opened!.id, amal, 'answered')).ok).toBe(true);
    await telegram.until(() => texts().some((t) => /closed your case/.test(t)), 10_000, 'the hand-back');

    const prefixes = [`${lotse.queuePrefix}:`, lotse.keyPrefix];
    const key = conversationKey('telegram', String(chat));
    // Their id and their words; in Lotse's own keys also their case and their lanes (named by a hash
    // of the conversation). BullMQ's keys may name the case (its reminder timer, until it is due) and
    // the lane's hash (job ids in the queue's event stream, the newest 100 events): nothing else.
    const needles = [String(chat), 'Wilhelmina', 'Crabtree', 'Pemberton'];
    const ofUser = (stored: StoredKey) => found(`${stored.key}\n${stored.text}`, [...needles, ...(stored.key.startsWith(lotse.keyPrefix) ? [opened!.id, shortHash(key)] : [])]).length > 0;
    // Keys without a TTL hold no user data once the lanes are idle (the sweeper forgets empty lanes).
    const withoutTtl = async () => (await storedKeys(prefixes)).filter((stored) => stored.pttl < 0 && ofUser(stored)).map((stored) => stored.key);
    await expect.poll(withoutTtl, { timeout: 10_000, interval: 300 }).toEqual([]);
    const mine = (await storedKeys(prefixes)).filter(ofUser);
    expect(mine.map((stored) => stored.key)).toEqual(expect.arrayContaining([`${lotse.keyPrefix}conv:${key}`, `${lotse.keyPrefix}cases-of:${key}`, `${lotse.keyPrefix}case:{${opened!.id}}:events`]));
    for (const stored of mine) {
      expect(stored.pttl, stored.key).toBeGreaterThan(0);
      expect(stored.pttl, stored.key).toBeLessThanOrEqual(90 * DAY_MS);
    }
    // The conversation and the case are kept the whole period from the last message, the case's history with them.
    for (const name of [`conv:${key}`, `case:{${opened!.id}}`, `case:{${opened!.id}}:events`, `cases-of:${key}`]) {
      expect(mine.find((stored) => stored.key === `${lotse.keyPrefix}${name}`)!.pttl, name).toBeGreaterThan(89 * DAY_MS);
    }

    // Redis's own expiry, on a clock where a day lasts 50 ms: every TTL scaled down alike.
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    for (const stored of mine) await redis.pexpire(stored.key, Math.max(1, Math.ceil((stored.pttl * 50) / DAY_MS)));
    redis.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 90 * 50 + 500));
    expect(found(`${await everything(prefixes)}\n${await everyJob(lotse.queuePrefix)}`, needles)).toEqual([]);
    expect((await storedKeys([lotse.keyPrefix])).filter(ofUser).map((stored) => stored.key)).toEqual([]);
  });
});
