import { afterEach, describe, expect, it } from 'vitest';
import type { AdvisorRef, Case, CaseEvent } from '../../src/core/case.js';
import { conversationKey } from '../../src/core/message.js';
import type { AdvisorTransport } from '../../src/handoff/handoff-api.js';
import { PermanentItemError } from '../../src/queue/lanes/lane-errors.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';
import { everyJob, everything, found } from '../helpers/stored-data.js';

/** An advisor transport that keeps nothing (the Slack app's place): case events reach it through the notice lanes. */
class QuietTransport implements AdvisorTransport {
  readonly name = 'quiet';
  seen = 0;
  async notify(_c: Case, _event: CaseEvent) {
    this.seen += 1;
  }
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

const amal: AdvisorRef = { id: 'amal', name: 'Amal', via: 'console' };
const USER = 770012345601;
const OTHER = 770012345602;
/** Words only this user wrote: none may be left anywhere after "delete". */
const WORDS = ['Zephyrine', 'Quillbottom', 'Oswaldine', 'Brackenfield', 'Hollowmere', 'Tanglewood', 'Gribbleton', 'Snorkelwick'];
/** The user's phone number, which is never kept at all (redacted before the dead letter). */
const PHONE = '2345678';
/** A message whose turn fails for good: it goes to the dead letters (redacted) and the user gets an apology. */
const FAILS = 'Snorkelwick';

describe('"delete" in the chat', () => {
  it('leaves nothing of the user in any Redis key or any job of any queue: conversation, case with advisor messages and a file, queued replies, a dead letter', async () => {
    const telegram = await new FakeTelegramServer().start();
    running.push(() => telegram.stop());
    const transport = new QuietTransport();
    const lotse = await runLotse({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url }, undefined, {
      telegramBotInfo: telegram.botInfo,
      advisorTransports: [transport],
      backoffMs: () => 50,
      laneSweep: { everyMs: 300, staleMs: 300 },
      handle: (_queues, pipeline) => async (message) => {
        if (message.text.includes(FAILS)) throw new PermanentItemError('the conversation store refused it');
        return pipeline(message);
      },
    });
    running.push(() => lotse.cleanup());
    const prefixes = [`${lotse.queuePrefix}:`, lotse.keyPrefix];
    const texts = (chat: number) => telegram.messagesTo(chat).map((m) => m.text);
    const say = async (chat: number, update: Record<string, unknown>, replies: number, what: string) => {
      const before = telegram.messagesTo(chat).length;
      telegram.pushUpdate(update);
      await telegram.until(() => telegram.messagesTo(chat).length >= before + replies, 20_000, what);
    };
    const consent = async (chat: number, hello: string) => {
      await say(chat, telegram.textUpdate(chat, hello), 1, 'the privacy notice');
      await say(chat, telegram.callbackUpdate(chat, 'choice:yes'), 1, 'the thanks');
    };

    // Someone else, whose data must stay.
    await consent(OTHER, 'Hello, I am Ferdinand Ashcombe');
    await say(OTHER, telegram.textUpdate(OTHER, 'How many points do I need for the Opportunity Card? Ferdinand asks.'), 1, "the other user's answer");

    await consent(USER, 'Hello, I am Zephyrine Quillbottom');
    await say(USER, telegram.textUpdate(USER, 'How many points do I need for the Opportunity Card? My cousin Oswaldine asked.'), 1, 'the answer');
    await say(USER, telegram.textUpdate(USER, 'I want to talk to an advisor about my Brackenfield employer'), 2, 'the case notice');
    const [opened] = (await lotse.handoff.list(['default'])).filter((c) => c.userId === String(USER));
    expect((await lotse.handoff.claim(opened!.id, amal)).ok).toBe(true);
    await telegram.until(() => texts(USER).some((t) => /Amal, an advisor, is now with you/.test(t)), 10_000, 'the claim notice');
    telegram.pushUpdate(telegram.textUpdate(USER, 'My recognition from Hollowmere was refused'));
    telegram.pushUpdate({ message: { message_id: 4711, date: Math.floor(Date.now() / 1000), chat: { id: USER, type: 'private', first_name: 'Test' }, from: { id: USER, is_bot: false, first_name: 'Test' }, photo: [{ file_id: 'AgADGribbleton', file_unique_id: 'u1', width: 800, height: 600 }], caption: 'Tanglewood certificate' } });
    await expect.poll(async () => (await lotse.handoff.events(opened!.id)).filter((e) => e.type === 'user_message').length, { timeout: 10_000 }).toBe(2);
    // A message given up on: its redacted text is a dead letter; the user gets an apology.
    await say(USER, telegram.textUpdate(USER, `Please send the ${FAILS} form to +49 171 2345678`), 1, 'the apology');
    expect(await everything(prefixes)).toContain(FAILS);

    // The advisor writes four times; Telegram takes one message a second per chat, so most wait in the queue.
    for (let n = 1; n <= 4; n++) expect((await lotse.handoff.reply(opened!.id, amal, `Reply ${n}: bring the Tanglewood papers, Zephyrine.`, `m-${n}`)).ok).toBe(true);
    const key = conversationKey('telegram', String(USER));
    expect(await lotse.queues.outbound.length(key)).toBeGreaterThanOrEqual(2);
    const stored = await everything(prefixes);
    expect(found(stored, [String(USER), ...WORDS])).toEqual([String(USER), ...WORDS]);

    telegram.pushUpdate(telegram.textUpdate(USER, 'delete'));
    const confirmed = () => texts(USER).findIndex((t) => /Everything about you has been deleted/.test(t));
    await telegram.until(() => confirmed() >= 0 && texts(USER).slice(confirmed() + 1).some((t) => /about your privacy/.test(t)), 20_000, 'the confirmation and a new privacy notice');
    // The replies still queued were erased, not sent.
    expect(texts(USER).filter((t) => t.includes('bring the Tanglewood papers')).length).toBeLessThan(4);

    // Once the confirmation is out (and the sweeper has forgotten the idle lanes), nothing is left.
    const left = async () => found(`${await everything(prefixes)}\n${await everyJob(lotse.queuePrefix)}`, [String(USER), ...WORDS, PHONE]);
    await expect.poll(left, { timeout: 15_000, interval: 300 }).toEqual([]);
    // Nor does any job name the case (its reminder timers went with it).
    expect(await everyJob(lotse.queuePrefix)).not.toContain(opened!.id);
    // The scan does see what is stored: the other user's data is all there.
    expect(found(await everything(prefixes), [String(OTHER), 'Ferdinand'])).toEqual([String(OTHER), 'Ferdinand']);
    expect(transport.seen).toBeGreaterThan(0);
  });
});
