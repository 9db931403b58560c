// The harness itself, no fault. The private Redis keeps acknowledged data across kill -9 and a
// stop (else the Redis restart tests prove nothing); and one conversation through separate
// processes gets every question of the list answered by the (fake) LLM, with its marker, once and
// in order (else the fault tests' numbers mean nothing; see harness/questions.ts for the choice).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDelivery, drain, formatCheck } from './harness/checker.js';
import { formatDelivery, LoadDriver } from './harness/load-driver.js';
import { PrivateRedis, redisCommand } from './harness/private-redis.js';
import { QUESTIONS } from './harness/questions.js';
import { SETTINGS } from './harness/settings.js';
import { useFaultStack } from './harness/vitest-stack.js';

describe('fault harness: the private Redis', () => {
  it('keeps what it acknowledged across kill -9 and a graceful stop, on the same port (AOF, fsync always)', async () => {
    const logs = await mkdtemp(path.join(os.tmpdir(), 'lotse-faults-redis-check-'));
    const redis = await PrivateRedis.start(logs);
    try {
      expect(redis.port).not.toBe(6379);
      expect(await redisCommand(redis.port, ['SET', 'bull:probe', 'kept'])).toBe('+OK\r\n');
      await redis.kill();
      expect(await redisCommand(redis.port, ['PING'])).toBeUndefined();
      await redis.restart();
      expect(await redisCommand(redis.port, ['GET', 'bull:probe'])).toBe('$4\r\nkept\r\n');
      await redis.stop();
      await redis.restart();
      expect(await redisCommand(redis.port, ['GET', 'bull:probe'])).toBe('$4\r\nkept\r\n');
    } finally {
      await redis.remove();
      await rm(logs, { recursive: true, force: true });
    }
  });
});

describe('fault harness smoke test', () => {
  const fixture = useFaultStack({ name: 'smoke', telegramMode: 'webhook', workers: 1 });

  it('every question of the list gets an LLM answer carrying its marker', async () => {
    const { stack } = fixture;
    const driver = fixture.driver();
    const conversations = LoadDriver.conversations(1, QUESTIONS.length, 100_000);
    await driver.consent(conversations);
    await driver.ask(conversations);
    await drain(stack.recorder, conversations);
    const check = checkDelivery(conversations, stack.recorder);
    const report = formatCheck('smoke', check, [formatDelivery(driver.stats)]);
    console.log(report);
    expect(check.answered, report).toBe(QUESTIONS.length);
    expect(check.duplicates, report).toEqual([]);
    expect(check.outOfOrder, report).toEqual([]);
    expect(check.unmarked, report).toEqual([]);
    // The answers are the LLM's (the marker), with the sources Lotse appends.
    expect(stack.recorder.to(conversations[0]!.chatId).at(-1)!.text).toMatch(/\[1\]/);
  }, SETTINGS.testTimeoutMs);
});
