import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { consoleSignIn } from '../helpers/console-pages.js';
import type { AdvisorRef, Case, CaseEvent } from '../../src/core/case.js';
import type { AdvisorTransport } from '../../src/handoff/handoff-api.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';
import { runLotse } from '../helpers/running-lotse.js';

/** An advisor transport that records what it was shown (the Slack app's place in production). */
class RecordingTransport implements AdvisorTransport {
  readonly name = 'recording';
  readonly seen: { caseId: string; event: CaseEvent }[] = [];
  async notify(c: Case, event: CaseEvent) {
    this.seen.push({ caseId: c.id, event });
  }
  types(caseId: string) {
    return this.seen.filter((s) => s.caseId === caseId).map((s) => s.event.type);
  }
}

const amal: AdvisorRef = { id: 'amal', name: 'Amal', via: 'console' };
const jonas: AdvisorRef = { id: 'jonas', name: 'Jonas', via: 'console' };
let dir: string | undefined;
const running: Awaited<ReturnType<typeof runLotse>>[] = [];
const fakes: FakeTelegramServer[] = [];
afterEach(async () => {
  for (const lotse of running.splice(0)) await lotse.cleanup();
  for (const fake of fakes.splice(0)) await fake.stop();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(env: NodeJS.ProcessEnv = {}) {
  const telegram = await new FakeTelegramServer().start();
  fakes.push(telegram);
  const transport = new RecordingTransport();
  const lotse = await runLotse({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_CHAT_RATE_LIMIT: '100', ...env }, undefined, { telegramBotInfo: telegram.botInfo, advisorTransports: [transport] });
  running.push(lotse);
  const texts = (chat: number) => telegram.messagesTo(chat).map((m) => m.text);
  const say = async (chat: number, text: string, expectReplies = 1, action?: string) => {
    const before = telegram.messagesTo(chat).length;
    telegram.pushUpdate(action ? telegram.callbackUpdate(chat, action) : telegram.textUpdate(chat, text));
    if (expectReplies > 0) await telegram.until(() => telegram.messagesTo(chat).length >= before + expectReplies, 15_000, `${expectReplies} replies to "${text || action}"`);
    return texts(chat).slice(before);
  };
  const consent = async (chat: number) => {
    await say(chat, 'Hello');
    await say(chat, '', 1, 'choice:yes');
  };
  return { telegram, transport, lotse, say, consent, texts };
}

describe('advisor handoff', () => {
  it('escalate, claim, relay both ways, resolve, and back to the bot', async () => {
    const { lotse, say, consent, telegram, transport, texts } = await start();
    await consent(9301);
    const asked = await say(9301, 'I want to talk to an advisor', 2);
    expect(asked.at(-1)).toMatch(/(ahead of you|Nobody is waiting before you)\. Expected wait: about \d+ minutes/);
    const [open] = await lotse.handoff.list(['default']);
    expect(open).toMatchObject({ status: 'open', pool: 'default', reason: 'user_request', channel: 'telegram', userId: '9301' });
    expect(open!.details?.asked.at(-1)).toMatch(/advisor/);

    const claimed = await lotse.handoff.claim(open!.id, amal);
    expect(claimed.ok).toBe(true);
    await telegram.until(() => texts(9301).some((t) => /Amal, an advisor, is now with you/.test(t)), 10_000, 'the claim notice');
    // With the advisor: the user's message goes to the advisor and Lotse stays quiet.
    const quiet = await say(9301, 'My recognition was refused, what can I do?', 0);
    expect(quiet).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const history = await lotse.handoff.events(open!.id);
    expect(history.filter((e) => e.type === 'user_message').map((e) => (e as { text: string }).text)).toContain('My recognition was refused, what can I do?');
    expect(texts(9301).at(-1)).toMatch(/now with you/);

    expect((await lotse.handoff.reply(open!.id, amal, 'You can appeal within one month. Do you have the letter?', 'm-1')).ok).toBe(true);
    expect((await lotse.handoff.reply(open!.id, amal, 'You can appeal within one month. Do you have the letter?', 'm-1')).ok).toBe(true);
    await telegram.until(() => texts(9301).some((t) => t.includes('appeal within one month')), 10_000, 'the advisor reply');
    // Only the holder may write; the same message id twice is sent once.
    expect(await lotse.handoff.reply(open!.id, jonas, 'hi', 'm-2')).toMatchObject({ ok: false, reason: 'taken' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(texts(9301).filter((t) => t.includes('appeal within one month'))).toHaveLength(1);

    expect((await lotse.handoff.resolve(open!.id, amal, 'answered')).ok).toBe(true);
    await telegram.until(() => texts(9301).some((t) => /closed your case/.test(t)), 10_000, 'the hand-back');
    const answered = await say(9301, 'How many points do I need for the Opportunity Card?');
    expect(answered.join('\n')).toMatch(/at least 6 points/i);
    expect((await lotse.handoff.get(open!.id))).toMatchObject({ status: 'resolved', outcome: 'answered' });
    await telegram.until(() => transport.types(open!.id).includes('resolved'), 10_000, 'the transport seeing the resolution');
    expect(transport.types(open!.id)).toEqual(['opened', 'claimed', 'user_message', 'advisor_message', 'resolved']);
  });

  it('two advisors claim at once: exactly one wins, the other is told who has it', async () => {
    const { lotse, say, consent } = await start();
    await consent(9302);
    await say(9302, 'advisor', 2);
    const [open] = await lotse.handoff.list(['default']);
    const results = await Promise.all([lotse.handoff.claim(open!.id, amal), lotse.handoff.claim(open!.id, jonas)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.find((r) => !r.ok)!;
    const winner = results.find((r) => r.ok) as { ok: true; case: Case };
    expect(lost).toMatchObject({ ok: false, reason: 'taken', heldBy: { id: winner.case.claimedBy!.id } });
    // The holder hands it to a colleague, who holds it from then on (with its history); the user is told who.
    const holder = winner.case.claimedBy!;
    const colleague = holder.id === amal.id ? jonas : amal;
    expect(await lotse.handoff.handOver(open!.id, colleague, holder)).toMatchObject({ ok: false, reason: 'taken' });
    const handed = await lotse.handoff.handOver(open!.id, holder, colleague);
    expect(handed).toMatchObject({ ok: true, case: { status: 'claimed', claimedBy: { id: colleague.id } } });
    expect((await lotse.handoff.reply(open!.id, colleague, 'I am taking over your case.', 'm-h')).ok).toBe(true);
    expect(await lotse.handoff.reply(open!.id, holder, 'still me?', 'm-h2')).toMatchObject({ ok: false, reason: 'taken' });
    expect((await lotse.handoff.events(open!.id)).map((e) => e.type)).toEqual(['opened', 'claimed', 'handed_over', 'advisor_message']);
    // The console's rule: an advisor of another pool cannot act on it.
    expect(await lotse.handoff.release(open!.id, colleague, ['another-pool'])).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('while waiting, general questions are answered and shown to the advisors; "cancel" goes back to the bot', async () => {
    const { lotse, say, consent, transport } = await start();
    await consent(9303);
    await say(9303, 'advisor', 2);
    const [open] = await lotse.handoff.list(['default']);
    const answer = await say(9303, 'How many points do I need for the Opportunity Card?');
    expect(answer.join('\n')).toMatch(/at least 6 points/i);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await lotse.handoff.events(open!.id)).map((e) => e.type)).toEqual(['opened', 'user_message', 'bot_answer']);
    const cancelled = await say(9303, '', 1, 'handoff:cancel');
    expect(cancelled[0]).toMatch(/cancelled/);
    expect(await lotse.handoff.get(open!.id)).toMatchObject({ status: 'cancelled' });
    expect(await lotse.handoff.list(['default'])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(transport.types(open!.id)).toContain('cancelled');
  });

  it('an unclaimed case past its SLA reminds the advisors once per step, then tells the user honestly and hands back to the bot', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-pools-'));
    const file = path.join(dir, 'pools.yaml');
    await writeFile(
      file,
      ['supervisorChannel: C-SUPERVISORS', 'pools:', '  - id: tunis', '    name: Tunis team', '    languages: [ar, fr]', '    countries: [TN]', '    slackChannel: C-TUNIS', '    slaMinutes: { urgent: 0.01, high: 0.01, normal: 0.01 }', '    maxWaitMinutes: 0.06', '  - id: general', '    name: Everyone', '    slaMinutes: { urgent: 0.01, high: 0.01, normal: 0.01 }', '    maxWaitMinutes: 0.06'].join('\n'),
    );
    const { lotse, say, consent, telegram, transport, texts } = await start({ ADVISOR_POOLS_FILE: file });
    await consent(9304);
    await say(9304, 'advisor', 2);
    const [open] = await lotse.handoff.list(['general']);
    expect(open).toBeDefined();
    await telegram.until(() => texts(9304).some((t) => /no advisor could take your conversation in time/.test(t)), 20_000, 'the honest give-up');
    expect(texts(9304).at(-1)).toContain('+49 30 1815-1111');
    const steps = transport.seen.filter((s) => s.caseId === open!.id && s.event.type === 'sla_reminder').map((s) => (s.event as { step: number }).step);
    expect(steps.length).toBeGreaterThanOrEqual(1);
    expect(new Set(steps).size).toBe(steps.length);
    expect(await lotse.handoff.get(open!.id)).toMatchObject({ status: 'cancelled' });
    const answered = await say(9304, 'How many points do I need for the Opportunity Card?');
    expect(answered.join('\n')).toMatch(/at least 6 points/i);
  });
});

describe('advisors in their own language', () => {
  it('with an LLM: a summary brief; the user\'s messages reach the advisor translated (original kept), the advisor\'s reach the user in the user\'s language', async () => {
    const { FakeOpenAiServer } = await import('../helpers/fake-openai-server.js');
    const openai = await new FakeOpenAiServer().start();
    try {
      openai.respond = (request) => {
        const system = request.messages[0]?.content ?? '';
        const user = request.messages.at(-1)?.content ?? '';
        if (system.startsWith('You write a short brief')) return 'Needs: to talk to an advisor (French speaker). Open: everything.';
        if (!system.startsWith('You translate')) return 'NOT_COVERED';
        const target = /Target language: (\w+)/.exec(user)?.[1] ?? '?';
        const text = /<<<MESSAGE\n([\s\S]*)\nMESSAGE>>>/.exec(user)?.[1] ?? '';
        return `[${target}] ${text}`;
      };
      const { lotse, say, consent, telegram, texts } = await start({ OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: 'test' });
      await consent(9305);
      await say(9305, 'Je veux parler à un conseiller', 2);
      const [open] = await lotse.handoff.list(['default']);
      expect(open!.language).toBe('fr');
      // The brief: the LLM's summary, beside the transcript's facts.
      expect(open!.brief).toBe('Needs: to talk to an advisor (French speaker). Open: everything.');
      expect(open!.details).toMatchObject({ summary: open!.brief, facts: { language: 'fr' } });
      expect((await lotse.handoff.claim(open!.id, amal)).ok).toBe(true);
      await say(9305, 'Mon diplôme a été refusé', 0);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const relayed = (await lotse.handoff.events(open!.id)).find((e) => e.type === 'user_message') as { text: string; translation?: string };
      expect(relayed).toMatchObject({ text: 'Mon diplôme a été refusé', translation: '[English] Mon diplôme a été refusé' });
      await lotse.handoff.reply(open!.id, amal, 'You can ask for a review.', 'm-fr');
      await telegram.until(() => texts(9305).some((t) => t.includes('[French] You can ask for a review.')), 10_000, 'the translated advisor reply');
      const sent = (await lotse.handoff.events(open!.id)).find((e) => e.type === 'advisor_message') as { text: string; translation?: string };
      expect(sent).toMatchObject({ text: 'You can ask for a review.', translation: '[French] You can ask for a review.' });
    } finally {
      await openai.stop();
    }
  });
});

describe('media during a handoff', () => {
  it('a photo the user sends reaches the advisor as a file to download from the console; other pools cannot open it', async () => {
    const { runAdvisorCommand } = await import('../../src/handoff/advisors/console/account-commands.js');
    const { createRedis } = await import('../../src/infra/redis.js');
    const { lotse, say, consent, telegram } = await start();
    await consent(9306);
    await say(9306, 'advisor', 2);
    const [open] = await lotse.handoff.list(['default']);
    await lotse.handoff.claim(open!.id, amal);
    const photo = { message: { message_id: 77, date: Math.floor(Date.now() / 1000), chat: { id: 9306, type: 'private' }, from: { id: 9306, is_bot: false, first_name: 'T' }, photo: [{ file_id: 'photo-small', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'photo-large', file_unique_id: 'l', width: 800, height: 800 }] } };
    telegram.pushUpdate(photo);
    const deadline = Date.now() + 10_000;
    let media: { id: string } | undefined;
    while (!media && Date.now() < deadline) {
      media = (await lotse.handoff.events(open!.id)).find((e) => e.type === 'user_message' && e.media?.ref === 'photo-large');
      if (!media) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(media).toBeDefined();

    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    try {
      const io = { redis, prefix: lotse.keyPrefix, readPassword: async () => 'a long enough password', out: () => undefined };
      expect(await runAdvisorCommand(['add', 'amal', '--pools', 'default', '--password-stdin'], io)).toBe(0);
      expect(await runAdvisorCommand(['add', 'outsider', '--pools', 'other', '--password-stdin'], { ...io, knownPools: undefined })).toBe(0);
    } finally {
      redis.disconnect();
    }
    const signIn = async (name: string) => (await consoleSignIn(lotse.url!, name, 'a long enough password')).cookie;
    const url = `${lotse.url}/advisor/api/cases/${open!.id}/media/${media!.id}`;
    const download = await fetch(url, { headers: { cookie: await signIn('amal') } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(Buffer.from(await download.arrayBuffer()).length).toBeGreaterThan(0);
    expect((await fetch(url, { headers: { cookie: await signIn('outsider') } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
  });
});
