import { afterAll, describe, expect, it } from 'vitest';
import { caseBlockId, CASE_ACTION } from '../../src/handoff/advisors/slack/render.js';
import { FakeSlackServer } from '../helpers/fake-slack-server.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

const SECRET = 'slack-signing-secret-e2e';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/**
 * The whole app as users and advisors meet it: a user on Telegram (local fake Bot API), advisors in
 * Slack (signed requests to /slack/events, a local fake Web API at SLACK_API_URL).
 */
describe('a Telegram user and a Slack advisor', () => {
  it('escalate, claim, relay both ways, resolve, back to the bot; forged and stale signatures change nothing', async () => {
    const telegram = await new FakeTelegramServer().start();
    const slack = await new FakeSlackServer().start();
    const lotse = await runLotse(
      { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_CHAT_RATE_LIMIT: '100', SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ADVISOR_CHANNEL: 'C_ADVISORS' },
      undefined,
      { telegramBotInfo: telegram.botInfo },
    );
    cleanup.push(async () => {
      await lotse.cleanup();
      await telegram.stop();
      await slack.stop();
    });
    const events = `${lotse.url}/slack/events`;
    const texts = () => telegram.messagesTo(9401).map((m) => m.text);
    const send = async (text: string, action?: string) => {
      const before = texts().length;
      telegram.pushUpdate(action ? telegram.callbackUpdate(9401, action) : telegram.textUpdate(9401, text));
      return before;
    };

    await send('Hello');
    await telegram.until(() => texts().length === 1, 15_000, 'the notice');
    await send('', 'choice:yes');
    await telegram.until(() => texts().length === 2, 15_000, 'the consent');
    await send('I need to talk to a human advisor about my recognition');
    await slack.until(() => slack.channelMessages('C_ADVISORS').length === 1, 15_000, 'the case in Slack');
    const [caseMessage] = slack.channelMessages('C_ADVISORS');
    // The lane records the message's ts after chat.postMessage answers: wait for that, not just the post.
    const recorded = async () => (await lotse.handoff.list(['default']))[0];
    for (const deadline = Date.now() + 10_000; !(await recorded())?.slack && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 25));
    const open = await recorded();
    expect(open!.slack).toEqual({ channel: 'C_ADVISORS', ts: caseMessage!.ts });
    expect(JSON.stringify(caseMessage!.blocks)).toContain(CASE_ACTION.claim);

    const click = (actionId: string, who = { id: 'U_AMAL', name: 'Amal' }, options: { timestamp?: number; signature?: string } = {}) =>
      FakeSlackServer.signedPost(events, slack.blockAction({ actionId, user: who, channel: 'C_ADVISORS', messageTs: caseMessage!.ts, blockId: caseBlockId(open!.id), value: open!.id }), { secret: SECRET, ...options });
    // A forged and a stale signature: refused, nothing changes.
    expect((await click(CASE_ACTION.claim, undefined, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await click(CASE_ACTION.claim, undefined, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect((await lotse.handoff.get(open!.id))!.status).toBe('open');

    expect((await click(CASE_ACTION.claim)).status).toBe(200);
    await telegram.until(() => texts().some((t) => /Amal, an advisor, is now with you/.test(t)), 15_000, 'the claim, told to the user');
    await slack.until(() => JSON.stringify(slack.message('C_ADVISORS', caseMessage!.ts)?.blocks ?? []).includes('Amal'), 10_000, 'the case message showing Amal');

    await send('They refused my diploma, the letter came yesterday');
    await slack.until(() => slack.threadReplies('C_ADVISORS', caseMessage!.ts).some((m) => (m.text ?? '').includes('They refused my diploma')), 15_000, 'the user message in the thread');

    const reply = slack.eventCallback(slack.messageEvent({ channel: 'C_ADVISORS', user: 'U_AMAL', text: 'Please send me the letter; you can ask for a review.', thread_ts: caseMessage!.ts }));
    expect((await FakeSlackServer.signedPost(events, reply, { secret: SECRET })).status).toBe(200);
    expect((await FakeSlackServer.signedPost(events, reply, { secret: SECRET })).status).toBe(200); // Slack resends
    await telegram.until(() => texts().some((t) => t.includes('you can ask for a review')), 15_000, 'the advisor reply on Telegram');

    expect((await click(CASE_ACTION.resolve)).status).toBe(200);
    await telegram.until(() => texts().some((t) => /closed your case/.test(t)), 15_000, 'the hand-back');
    const before = await send('How many points do I need for the Opportunity Card?');
    await telegram.until(() => texts().length > before && /at least 6 points/i.test(texts().at(-1)!), 15_000, 'the bot answering again');
    expect(texts().filter((t) => t.includes('you can ask for a review'))).toHaveLength(1);
    expect((await lotse.handoff.get(open!.id))!.status).toBe('resolved');
  });
});
