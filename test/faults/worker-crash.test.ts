// A conversation worker is killed (-9) while messages flow: the other worker must take over what
// it held, nothing may be lost or answered twice, each conversation stays in order, and the other
// conversations keep being answered (no long silence while the dead worker's jobs wait).
import { describe, expect, it } from 'vitest';
import { AnswerTally, checkDelivery, drain, formatCheck } from './harness/checker.js';
import { formatDelivery, LoadDriver } from './harness/load-driver.js';
import { FULL, SETTINGS } from './harness/settings.js';
import { ms } from './harness/stats.js';
import { useFaultStack } from './harness/vitest-stack.js';
import { waitFor } from './harness/wait.js';

const S = SETTINGS.workerCrash;

describe(`worker crash (${FULL ? 'full' : 'short'}: ${S.conversations * S.questionsPerConversation} messages from ${S.conversations} conversations)`, () => {
  const fixture = useFaultStack({ name: 'worker-crash', telegramMode: 'webhook', workers: S.workers });

  it('kill -9 of one worker mid-burst: 0 lost, 0 answered twice, order kept, others keep being answered', async () => {
    const { stack } = fixture;
    const driver = fixture.driver();
    const conversations = LoadDriver.conversations(S.conversations, S.questionsPerConversation, 200_000);
    await driver.consent(conversations);

    const tally = new AnswerTally(stack.recorder, conversations);
    const asking = driver.ask(conversations, { concurrency: S.concurrency });
    const victim = stack.byRole('worker')[0]!;
    const reached = await waitFor(() => tally.answered() >= S.killAfterAnswers, SETTINGS.drain.timeoutMs);
    const killedAt = performance.now();
    const answeredAtKill = tally.answered();
    await victim.kill();
    await asking;
    const postedAllAt = performance.now();
    await drain(stack.recorder, conversations);

    const check = checkDelivery(conversations, stack.recorder, { gapFrom: killedAt });
    const report = formatCheck('worker crash', check, [
      `killed ${victim.name} (pid ${victim.pid}) after ${answeredAtKill} answers${reached ? '' : ' (threshold not reached in time)'}; all questions accepted +${ms(postedAllAt - killedAt)} after the kill`,
      formatDelivery(driver.stats),
      `logs: ${stack.logsDir}`,
    ]);
    console.log(report);
    expect.soft(reached, `the kill should happen mid-burst\n${report}`).toBe(true);
    expect.soft(check.notAccepted, `the gateway refused questions\n${report}`).toBe(0);
    expect.soft(check.lost.length, `lost answers\n${report}`).toBe(0);
    expect.soft(check.duplicates.length, `answered twice\n${report}`).toBe(0);
    expect.soft(check.outOfOrder.length, `answers out of order\n${report}`).toBe(0);
    expect.soft(check.foreign.length, `answers in the wrong chat\n${report}`).toBe(0);
    expect.soft(check.maxGapMs, `longest silence after the kill\n${report}`).toBeLessThan(S.maxGapMs);
    expect.soft(await stack.crashedProcesses(), 'processes that died on their own').toEqual([]);
  }, SETTINGS.testTimeoutMs);
});
