// Redis (append-only file, fsync always) goes down for a few seconds while messages flow, and
// comes back on the same port with its data. Webhooks must be answered 503 meanwhile (Telegram
// then retries); afterwards nothing is lost or doubled, order is kept, and the gateway, workers
// and sender carry on by themselves (none restarted). Polling: updates that arrive during the
// outage wait in Telegram's getUpdates and are all answered after it.
import { describe, expect, it } from 'vitest';
import { checkDelivery, drain, formatCheck } from './harness/checker.js';
import type { FaultStack } from './harness/fault-stack.js';
import { formatDelivery, LoadDriver, type Conversation, type DeliveryStats } from './harness/load-driver.js';
import { FULL, SETTINGS } from './harness/settings.js';
import { ms } from './harness/stats.js';
import { useFaultStack } from './harness/vitest-stack.js';
import { sleep } from './harness/wait.js';

const S = SETTINGS.redisRestart;
const size = `${S.conversations} conversations × ${S.questionsPerConversation} questions, one every ${S.intervalMs} ms`;

interface Outage {
  start: number;
  end: number;
}

/** Consent, then questions at a steady pace; Redis goes down `outageAfterMs` into them for `outageMs`. */
async function runWithOutage(stack: FaultStack, driver: LoadDriver, conversations: Conversation[], down: () => Promise<void>): Promise<Outage> {
  await driver.consent(conversations);
  const asking = driver.ask(conversations, { intervalMs: S.intervalMs });
  await sleep(S.outageAfterMs);
  const start = performance.now();
  await down();
  await sleep(S.outageMs);
  await stack.redis.restart();
  const end = performance.now();
  await asking;
  await drain(stack.recorder, conversations);
  return { start, end };
}

function summary(name: string, stack: FaultStack, conversations: Conversation[], stats: DeliveryStats, outage: Outage) {
  const check = checkDelivery(conversations, stack.recorder, { gapFrom: outage.end });
  const during = conversations.flatMap((c) => c.questions).filter((q) => q.postedAt !== undefined && q.postedAt >= outage.start && q.postedAt <= outage.end);
  const report = formatCheck(name, check, [
    `Redis down for ${ms(outage.end - outage.start)} (restart included); ${during.length} questions first sent during the outage`,
    formatDelivery(stats),
    `logs: ${stack.logsDir}`,
  ]);
  console.log(report);
  return { check, report, during };
}

describe(`Redis restart, webhook (${FULL ? 'full' : 'short'}: ${size})`, () => {
  const fixture = useFaultStack({ name: 'redis-restart-webhook', telegramMode: 'webhook', workers: S.workers });

  for (const [variant, firstChat] of [['SIGTERM', 300_000], ['kill -9', 310_000]] as const) {
    it(`Redis stopped (${variant}) for ${S.outageMs} ms: 503 while down, then 0 lost, 0 doubled, order kept, no process restarted`, async () => {
      const { stack } = fixture;
      const driver = fixture.driver();
      const conversations = LoadDriver.conversations(S.conversations, S.questionsPerConversation, firstChat);
      const outage = await runWithOutage(stack, driver, conversations, () => (variant === 'SIGTERM' ? stack.redis.stop() : stack.redis.kill()));
      const { check, report } = summary(`Redis ${variant}, webhook`, stack, conversations, driver.stats, outage);
      const during503 = driver.stats.at503.filter((t) => t >= outage.start && t <= outage.end + 1_000).length;
      expect.soft(during503, `503 answers while Redis was down\n${report}`).toBeGreaterThan(0);
      expect.soft(check.notAccepted, `questions the gateway never accepted (kept refusing after Redis was back)\n${report}`).toBe(0);
      expect.soft(check.lost.length, `lost answers\n${report}`).toBe(0);
      expect.soft(check.duplicates.length, `answered twice\n${report}`).toBe(0);
      expect.soft(check.outOfOrder.length, `answers out of order\n${report}`).toBe(0);
      expect.soft(check.foreign.length, `answers in the wrong chat\n${report}`).toBe(0);
      expect.soft(await stack.crashedProcesses(), 'processes that died (none may need a restart)').toEqual([]);
    }, SETTINGS.testTimeoutMs);
  }
});

describe(`Redis restart, long polling (${FULL ? 'full' : 'short'}: ${size})`, () => {
  const fixture = useFaultStack({ name: 'redis-restart-polling', telegramMode: 'polling', workers: S.workers });

  it(`Redis killed (-9) for ${S.outageMs} ms: updates sent during the outage are all answered after it`, async () => {
    const { stack } = fixture;
    const driver = fixture.driver();
    const conversations = LoadDriver.conversations(S.conversations, S.questionsPerConversation, 320_000);
    const outage = await runWithOutage(stack, driver, conversations, () => stack.redis.kill());
    const { check, report, during } = summary('Redis kill -9, polling', stack, conversations, driver.stats, outage);
    const duringLost = check.lost.filter((p) => during.some((q) => q.marker === p.marker));
    expect.soft(during.length, `questions sent during the outage (the test must have some)\n${report}`).toBeGreaterThan(0);
    expect.soft(duringLost.length, `questions sent during the outage and never answered\n${report}`).toBe(0);
    expect.soft(check.lost.length, `lost answers\n${report}`).toBe(0);
    expect.soft(check.duplicates.length, `answered twice\n${report}`).toBe(0);
    expect.soft(check.outOfOrder.length, `answers out of order\n${report}`).toBe(0);
    expect.soft(check.foreign.length, `answers in the wrong chat\n${report}`).toBe(0);
    expect.soft(await stack.crashedProcesses(), 'processes that died (none may need a restart)').toEqual([]);
  }, SETTINGS.testTimeoutMs);
});
