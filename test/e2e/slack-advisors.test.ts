import { randomUUID } from 'node:crypto';
import { Queue, type Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AdvisorRef, Case, NewCase } from '../../src/core/case.js';
import { PermanentSendError, RateLimitedError } from '../../src/core/errors.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { SlackAdvisorApp } from '../../src/handoff/advisors/slack/app.js';
import type { SlackConfig } from '../../src/handoff/advisors/slack/config.js';
import { caseBlockId, CASE_ACTION } from '../../src/handoff/advisors/slack/render.js';
import type { SlackAdvisorTransport } from '../../src/handoff/advisors/slack/transport.js';
import { CaseRepository } from '../../src/handoff/case-repository.js';
import type { AdvisorTransport, HandoffApi } from '../../src/handoff/handoff-api.js';
import { HandoffService } from '../../src/handoff/handoff-service.js';
import { RedisHandoffSignals, type SlaJob } from '../../src/handoff/handoff-signals.js';
import { HANDOFF_QUEUES, startNoticeWorker } from '../../src/handoff/handoff-workers.js';
import { PoolDirectory } from '../../src/handoff/pools.js';
import { Messages } from '../../src/i18n/i18n.js';
import { I18nTranslator } from '../../src/i18n/translator.js';
import { createHttpServer } from '../../src/infra/http-server.js';
import { createLogger } from '../../src/infra/logger.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createRedis, whenReady } from '../../src/infra/redis.js';
import { LaneQueue } from '../../src/queue/lanes/lane-queue.js';
import { FakeSlackServer } from '../helpers/fake-slack-server.js';
import { EventLane, MemoryHandoff, testPool } from '../helpers/memory-handoff.js';
import { deleteKeys } from '../helpers/redis-keys.js';

/**
 * What the Slack app runs against: a HandoffApi (counted, as the app calls it), the pipeline's side
 * (open a case, the user writes, the SLA timer fires), and the lane that shows events to the transport.
 */
interface Backend {
  handoff: HandoffApi;
  calls: Record<string, number>;
  open(input?: Partial<NewCase>): Promise<Case>;
  userMessage(c: Case, text: string): Promise<void>;
  botAnswer(c: Case, text: string): Promise<void>;
  remind(c: Case, step: number): Promise<void>;
  /** The advisors' replies that reached the user. */
  replies(): { caseId: string; text: string; messageId: string }[];
  /** Starts showing case events to the transport. */
  show(transport: AdvisorTransport): void;
  /** Resolves once every event so far has been shown. */
  idle(): Promise<void>;
  /** Errors of notify attempts (each retried). */
  failures: unknown[];
  /** Events are no longer shown (a test plays the lane itself). */
  pause(): void;
  close(): Promise<void>;
}

/** Counts the calls made through it, by method; an assigned method (a test's slow or failing stand-in) is counted too. */
function counted<T extends object>(target: T): { api: T; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const api = new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { api, calls };
}

const newCase = (input: Partial<NewCase> = {}): NewCase => {
  const reason = input.reason ?? 'user_request';
  return { conversationKey: `telegram:${randomUUID()}`, channel: 'telegram', userId: '1', language: 'en', brief: 'The user asks about recognition of a nursing diploma.', reason, priority: reason === 'safety' ? 'urgent' : reason === 'sensitive' ? 'high' : 'normal', ...input };
};

function memoryBackend(pools: PoolDirectory): Backend {
  const memory = new MemoryHandoff(pools);
  const { api, calls } = counted<HandoffApi>(memory);
  let lane: EventLane | undefined;
  return {
    handoff: api,
    calls,
    open: (input) => memory.open(newCase(input)),
    userMessage: async (c, text) => void (await memory.userMessage(c.id, text)),
    botAnswer: async (c, text) => void (await memory.botAnswer(c.id, text)),
    remind: async (c, step) => void (await memory.remind(c.id, step)),
    replies: () => memory.delivered.map(({ caseId, text, messageId }) => ({ caseId, text, messageId })),
    show: (transport) => void (lane = new EventLane(memory, transport)),
    idle: async () => lane?.idle(),
    get failures() {
      return lane?.failures ?? [];
    },
    pause: () => lane?.close(),
    close: async () => lane?.close(),
  };
}

/** The real thing: HandoffService on the test Redis, its events through the advisor-notice lanes and startNoticeWorker. */
async function redisBackend(pools: PoolDirectory): Promise<Backend> {
  const id = randomUUID().slice(0, 8);
  const keyPrefix = `lotse-slack-${id}:`;
  const bullPrefix = `bq-slack-${id}`;
  const url = inject('redisUrl');
  const client = createRedis(url, 'client');
  const producer = createRedis(url, 'producer');
  const workerConnection = createRedis(url, 'worker');
  await whenReady(producer);
  const sla = new Queue<SlaJob>(HANDOFF_QUEUES.sla, { connection: producer, prefix: bullPrefix });
  const notices = new LaneQueue(producer, { kind: 'adv', queueName: HANDOFF_QUEUES.notices, keyPrefix, bullPrefix });
  const outbox: OutboundMessage[] = [];
  const service = new HandoffService({
    repository: new CaseRepository(client, keyPrefix),
    pools,
    translator: new I18nTranslator(Messages.create()),
    signals: new RedisHandoffSignals(client, sla, notices, keyPrefix),
    outbox: { deliver: async (replies) => void outbox.push(...replies) },
  });
  const { api, calls } = counted<HandoffApi>(service);
  const caseIds = new Set<string>();
  const shown = new Set<string>();
  const failures: unknown[] = [];
  let paused = false;
  let worker: Worker | undefined;
  return {
    handoff: api,
    calls,
    open: async (input) => {
      const c = await service.open(newCase(input));
      caseIds.add(c.id);
      return c;
    },
    userMessage: (c, text) => service.record(c, { type: 'user_message', text }, randomUUID()),
    botAnswer: (c, text) => service.record(c, { type: 'bot_answer', text }, randomUUID()),
    remind: async (c, step) => void (await service.slaDue(c.id, step)),
    replies: () =>
      outbox.flatMap((reply) => {
        const match = /^case:(.+):advisor-(.+)$/.exec(reply.id);
        return match ? [{ caseId: match[1]!, text: reply.text, messageId: match[2]! }] : [];
      }),
    show: (transport) => {
      const watching: AdvisorTransport = {
        name: transport.name,
        notify: async (c, event) => {
          if (!paused) {
            try {
              await transport.notify(c, event);
            } catch (error) {
              failures.push(error);
              throw error;
            }
          }
          shown.add(event.id);
        },
      };
      worker = startNoticeWorker(workerConnection, client, notices, service, [watching], { bullPrefix, onError: () => undefined });
    },
    idle: async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const pending = (await Promise.all([...caseIds].map((caseId) => service.events(caseId)))).flat().filter((event) => !shown.has(event.id));
        if (pending.length === 0) return;
        if (Date.now() > deadline) throw new Error(`events not shown: ${pending.map((event) => event.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    failures,
    pause: () => void (paused = true),
    close: async () => {
      await worker?.close();
      await Promise.all([sla.close(), notices.close()]);
      await deleteKeys(client, `${bullPrefix}:`, keyPrefix);
      await Promise.all([client, producer, workerConnection].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}

const secret = 'test-signing-secret';
const anna = { id: 'UANNA', name: 'Anna' };
const ben = { id: 'UBEN', name: 'Ben' };
const advisor = (who: { id: string; name: string }): AdvisorRef => ({ ...who, via: 'slack' });

/** Everything the Slack side runs on: the fake Slack Web API, Lotse's HTTP server with the Slack routes, the app, the transport and the in-memory handoff. */
describe.each([
  ['the in-memory HandoffApi', memoryBackend],
  ['HandoffService on Redis, through the advisor-notice lanes', redisBackend],
] as const)('the advisors\' Slack app (HTTP mode, through a fake Slack) on %s', (_name, makeBackend) => {
  let slack: FakeSlackServer;
  let server: FastifyInstance;
  let url: string;
  let app: SlackAdvisorApp;
  let transport: SlackAdvisorTransport;
  let backend: Backend;
  let handoff: HandoffApi;
  let errors: unknown[];

  const pools = () => new PoolDirectory([testPool({ id: 'general', name: 'General', slackChannel: 'C_GENERAL' }), testPool({ id: 'tunis', name: 'Tunis team', languages: ['ar'], countries: ['TN'], slackChannel: 'C_TUNIS' })], 'general', 'C_SUPERVISORS');

  beforeAll(async () => {
    slack = await new FakeSlackServer().start();
  });

  afterAll(async () => {
    await slack.stop();
  });

  beforeEach(async () => {
    slack.calls.length = 0;
    slack.messages.clear();
    slack.ephemerals.length = 0;
    errors = [];
    backend = await makeBackend(pools());
    handoff = backend.handoff;
    const config: SlackConfig = { botToken: slack.token, mode: 'http', signingSecret: secret, apiUrl: slack.apiUrl };
    app = new SlackAdvisorApp({ config, handoff, logger: createLogger(process.env.SLACK_TEST_LOG ?? 'silent'), onError: (error) => errors.push(error) });
    server = createHttpServer({ channels: [], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }) });
    app.routes(server);
    await app.start();
    url = `${await server.listen({ port: 0, host: '127.0.0.1' })}/slack/events`;
    transport = app.transport();
    backend.show(transport);
  });

  afterEach(async () => {
    await app.stop();
    await server.close();
    await backend.close();
  });

  const post = (body: string | Record<string, unknown>, options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {}) => FakeSlackServer.signedPost(url, body, { secret, ...options });

  /** A case opened and shown in Slack: its message's channel and ts. */
  async function openShown(input: Partial<NewCase> = {}): Promise<Case & { slack: { channel: string; ts: string } }> {
    const opened = await backend.open(input);
    await backend.idle();
    const c = (await handoff.get(opened.id))!;
    expect(c.slack).toBeDefined();
    return c as Case & { slack: { channel: string; ts: string } };
  }

  const click = (c: Case & { slack: { channel: string; ts: string } }, who: { id: string; name: string }, actionId: string, selected?: string) =>
    post(slack.blockAction({ actionId, user: who, channel: c.slack.channel, messageTs: c.slack.ts, blockId: caseBlockId(c.id), value: selected === undefined ? c.id : undefined, selected }));

  const shown = (c: Case & { slack: { channel: string; ts: string } }) => JSON.stringify(slack.message(c.slack.channel, c.slack.ts)?.blocks ?? []);

  async function settled(until: () => Promise<boolean> | boolean, what: string) {
    const deadline = Date.now() + 5_000;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await backend.idle();
  }

  it('checks the bot token with auth.test at start', () => {
    expect(slack.callsOf('auth.test').length).toBeGreaterThanOrEqual(1);
    expect(slack.callsOf('auth.test')[0]!.token).toBe(slack.token);
  });

  it('answers Slack\'s url_verification challenge', async () => {
    const response = await post({ type: 'url_verification', token: 't', challenge: 'abc123' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'abc123' });
  });

  it('posts a new case with its brief and buttons in its pool\'s channel, and records where', async () => {
    const c = await openShown({ language: 'ar', country: 'TN', reason: 'safety', brief: 'Employer keeps the passport.' });
    expect(c.pool).toBe('tunis');
    expect(c.slack.channel).toBe('C_TUNIS');
    expect(slack.channelMessages('C_GENERAL')).toHaveLength(0);
    const [message] = slack.channelMessages('C_TUNIS');
    expect(message!.text).toContain('Employer keeps the passport.');
    expect(shown(c)).toContain('Arabic (ar)');
    expect(shown(c)).toContain('Tunisia (TN)');
    expect(shown(c)).toContain('Urgent');
    expect(shown(c)).toContain(CASE_ACTION.claim);
    expect(shown(c)).toContain(CASE_ACTION.resolve);
    expect(await handoff.findBySlackThread('C_TUNIS', c.slack.ts)).toMatchObject({ id: c.id });
    // Shown again (a lane retry after a crash): updated, not posted twice.
    await transport.notify(c, { id: 'again', type: 'opened', at: new Date().toISOString() });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('claim: the case message then shows who holds it', async () => {
    const c = await openShown();
    const response = await click(c, anna, CASE_ACTION.claim);
    expect(response.status).toBe(200);
    await settled(async () => (await handoff.get(c.id))!.status === 'claimed', 'the claim');
    expect((await handoff.get(c.id))!.claimedBy).toEqual(advisor(anna));
    await slack.until(() => shown(c).includes('Held by* Anna'), 5_000, 'the case message to show Anna');
    expect(shown(c)).toContain(CASE_ACTION.release);
    expect(shown(c)).not.toContain(CASE_ACTION.claim);
    expect(slack.ephemerals, JSON.stringify(slack.ephemerals)).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('two advisors claim at once: one wins, the other is told who has the case', async () => {
    const c = await openShown();
    const responses = await Promise.all([click(c, anna, CASE_ACTION.claim), click(c, ben, CASE_ACTION.claim)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await slack.until(() => slack.ephemerals.length === 1, 5_000, 'the loser\'s ephemeral message');
    await backend.idle();
    const holder = (await handoff.get(c.id))!.claimedBy!;
    const loser = holder.id === anna.id ? ben : anna;
    expect([anna.id, ben.id]).toContain(holder.id);
    expect(backend.calls.claim).toBe(2);
    expect(slack.ephemerals[0]).toMatchObject({ channel: c.slack.channel, user: loser.id, text: `This case is held by ${holder.name}; only they can claim it now.` });
    expect(shown(c)).toContain(`Held by* ${holder.name}`);
    // The winner clicking again is told so, not refused as a stranger.
    await click(c, holder, CASE_ACTION.claim);
    await slack.until(() => slack.ephemerals.length === 2, 5_000, 'the second ephemeral');
    expect(slack.ephemerals[1]).toMatchObject({ user: holder.id, text: 'You already hold this case.' });
  });

  it('acknowledges a click at once, before the work is done (Slack\'s 3 seconds)', async () => {
    const c = await openShown();
    const claim = handoff.claim.bind(handoff);
    handoff.claim = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return claim(...args);
    };
    const started = Date.now();
    const response = await click(c, anna, CASE_ACTION.claim);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    await settled(async () => (await handoff.get(c.id))!.status === 'claimed', 'the slow claim');
    // Let the click's work end here (the case message updated, the lanes idle): left running, it
    // reached the shared fake Slack during the next test.
    await backend.idle();
    await slack.until(() => shown(c).includes('Held by'), 5_000, 'the case message to show its holder');
  });

  it('the holder\'s reply in the case thread goes to the user once, even when Slack delivers the event twice', async () => {
    const c = await openShown();
    await handoff.claim(c.id, advisor(anna));
    await backend.idle();
    const event = slack.eventCallback(slack.messageEvent({ channel: c.slack.channel, user: anna.id, text: 'Hello, I am Anna. See <https://www.anerkennung-in-deutschland.de|Anerkennung> &amp; more', ts: '1800000000.000100', thread_ts: c.slack.ts }), 'EvREPLY1');
    expect((await post(event)).status).toBe(200);
    await settled(() => backend.replies().length === 1, 'the reply');
    expect(backend.replies()[0]).toEqual({ caseId: c.id, text: 'Hello, I am Anna. See Anerkennung (https://www.anerkennung-in-deutschland.de) & more', messageId: '1800000000.000100' });
    expect((await handoff.events(c.id)).find((e) => e.type === 'advisor_message')).toMatchObject({ advisor: advisor(anna) });
    // Slack's retry of the same event (same event id and ts, with retry headers).
    expect((await post(event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await settled(() => backend.calls.reply === 2, 'the redelivery to be handled');
    expect(backend.replies()).toHaveLength(1);
    expect((await handoff.events(c.id)).filter((e) => e.type === 'advisor_message')).toHaveLength(1);
    // The advisor's own message is already in the thread: the transport does not echo it.
    expect(slack.threadReplies(c.slack.channel, c.slack.ts)).toHaveLength(0);
    expect(slack.ephemerals).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('ignores bot messages, edits, joins and messages outside case threads; tells a non-holder theirs was not sent', async () => {
    const c = await openShown();
    await handoff.claim(c.id, advisor(anna));
    await backend.idle();
    const inThread = { channel: c.slack.channel, user: anna.id, text: 'x', thread_ts: c.slack.ts };
    await post(slack.eventCallback(slack.messageEvent({ ...inThread, bot_id: 'BOTHER' })));
    await post(slack.eventCallback(slack.messageEvent({ ...inThread, subtype: 'message_changed' })));
    await post(slack.eventCallback(slack.messageEvent({ ...inThread, subtype: 'channel_join' })));
    await post(slack.eventCallback(slack.messageEvent({ channel: c.slack.channel, user: anna.id, text: 'top level' })));
    await post(slack.eventCallback(slack.messageEvent({ ...inThread, thread_ts: '1.000001' })));
    await post(slack.eventCallback(slack.messageEvent({ ...inThread, user: ben.id, text: 'Anna, can you ask about the visa?' })));
    await slack.until(() => slack.ephemerals.length === 1, 5_000, 'the note to Ben');
    expect(slack.ephemerals[0]).toMatchObject({ user: ben.id, thread_ts: c.slack.ts, text: 'Not sent to the user. This case is held by Anna; only they can write to the user now.' });
    expect(backend.calls.reply).toBe(1);
    expect(backend.replies()).toHaveLength(0);
  });

  it('release: the case is open again and the message offers Claim', async () => {
    const c = await openShown();
    await click(c, anna, CASE_ACTION.claim);
    await settled(async () => (await handoff.get(c.id))!.status === 'claimed', 'the claim');
    await click(c, anna, CASE_ACTION.release);
    await settled(async () => (await handoff.get(c.id))!.status === 'open', 'the release');
    await slack.until(() => shown(c).includes('Waiting for an advisor'), 5_000, 'the message to show the case open');
    expect(shown(c)).toContain(CASE_ACTION.claim);
    expect((await handoff.get(c.id))!.claimedBy).toBeUndefined();
    // Releasing what nobody holds is explained, not silently ignored.
    await click(c, ben, CASE_ACTION.release);
    await slack.until(() => slack.ephemerals.length === 1, 5_000, 'the explanation');
    expect(slack.ephemerals[0]!.text).toBe('Nobody holds this case; there is nothing to release.');
  });

  it('resolve with an outcome from the select: the case closes and the message shows how it ended', async () => {
    const c = await openShown();
    await click(c, ben, CASE_ACTION.claim);
    await settled(async () => (await handoff.get(c.id))!.status === 'claimed', 'the claim');
    // Another advisor cannot resolve Ben's case.
    await click(c, anna, CASE_ACTION.resolve, 'answered');
    await slack.until(() => slack.ephemerals.length === 1, 5_000, 'Anna to be told');
    expect(slack.ephemerals[0]).toMatchObject({ user: anna.id, text: 'This case is held by Ben; only they can resolve it now.' });
    await click(c, ben, CASE_ACTION.resolve, 'referred');
    await settled(async () => (await handoff.get(c.id))!.status === 'resolved', 'the resolution');
    expect((await handoff.get(c.id))!.outcome).toBe('referred');
    // "Referred elsewhere" is also an option of the select while the case is held: wait for the outcome line itself.
    await slack.until(() => shown(c).includes('— Referred elsewhere'), 5_000, 'the message to show the outcome');
    expect(shown(c)).toContain('Resolved* by Ben');
    expect(shown(c)).not.toContain('"actions"');
    // A late click on a closed case is explained.
    await click(c, anna, CASE_ACTION.claim);
    await slack.until(() => slack.ephemerals.length === 2, 5_000, 'the explanation');
    expect(slack.ephemerals[1]!.text).toBe('This case is already closed.');
  });

  it('forged and stale signatures get 401 and change nothing', async () => {
    const c = await openShown();
    const callsBefore = slack.calls.length;
    const handoffCalls = { ...backend.calls };
    const claim = slack.blockAction({ actionId: CASE_ACTION.claim, user: anna, channel: c.slack.channel, messageTs: c.slack.ts, blockId: caseBlockId(c.id), value: c.id });
    const forged = await FakeSlackServer.signedPost(url, claim, { secret: 'not-the-secret' });
    const stale = await post(claim, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slack.eventCallback(slack.messageEvent({ channel: c.slack.channel, user: anna.id, text: 'x', thread_ts: c.slack.ts }))) });
    const challenge = await FakeSlackServer.signedPost(url, { type: 'url_verification', challenge: 'x' }, { secret: 'wrong' });
    expect([forged.status, stale.status, unsigned.status, challenge.status]).toEqual([401, 401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await handoff.get(c.id))!.status).toBe('open');
    expect(slack.calls.length).toBe(callsBefore);
    expect({ ...backend.calls, get: 0 }).toEqual({ ...handoffCalls, get: 0 });
  });

  it('refuses a signed body that is not Slack\'s with 400', async () => {
    expect((await post('payload=%7Bnot-json')).status).toBe(400);
  });

  it('shows the user\'s messages and Lotse\'s answers in the case thread', async () => {
    const c = await openShown();
    await backend.userMessage(c, 'I have a question about <b>my visa</b>');
    await backend.botAnswer(c, 'A work visa needs a job offer.');
    await backend.idle();
    const replies = slack.threadReplies(c.slack.channel, c.slack.ts);
    expect(replies.map((m) => m.text)).toEqual([':speech_balloon: *User:* I have a question about &lt;b&gt;my visa&lt;/b&gt;', ':robot_face: *Lotse answered:* A work visa needs a job offer.']);
    // With an LLM configured, messages carry a translation: the advisors read both.
    const now = (await handoff.get(c.id))!;
    await transport.notify(now, { id: 't1', type: 'user_message', at: new Date().toISOString(), text: 'مرحبا', translation: 'Hello' });
    await transport.notify(now, { id: 't2', type: 'advisor_message', at: new Date().toISOString(), advisor: advisor(anna), text: 'Welcome', translation: 'أهلا' });
    expect(slack.threadReplies(c.slack.channel, c.slack.ts).slice(2).map((m) => m.text)).toEqual([
      ':speech_balloon: *User:* مرحبا\n:globe_with_meridians: _Translation:_ Hello',
      ':outbox_tray:\n_Sent to the user in en:_ أهلا',
    ]);
  });

  it('a case the user then writes about danger in is shown as urgent safety, with why in its thread', async () => {
    const c = await openShown({ reason: 'user_request', priority: 'normal' });
    const raised = { ...c, priority: 'urgent' as const, reason: 'safety' as const, danger: 'medical_emergency' as const };
    await transport.notify(raised, { id: 'r1', type: 'raised', at: new Date().toISOString(), danger: 'medical_emergency' });
    expect(shown(c)).toContain('safety concern: medical emergency');
    expect(shown(c)).toContain('Urgent');
    expect(slack.threadReplies(c.slack.channel, c.slack.ts).at(-1)!.text).toContain('*Raised to urgent:* the user wrote about danger (medical emergency)');
  });

  it('an SLA reminder goes to the pool channel (in the case thread, broadcast) and to the supervisors', async () => {
    const c = await openShown({ language: 'ar', country: 'TN', reason: 'safety' });
    await backend.remind(c, 1);
    await backend.idle();
    const inPool = slack.threadReplies('C_TUNIS', c.slack.ts);
    expect(inPool).toHaveLength(1);
    expect(inPool[0]).toMatchObject({ reply_broadcast: true });
    expect(inPool[0]!.text).toContain('Reminder 1: this urgent case');
    const supervisors = slack.channelMessages('C_SUPERVISORS');
    expect(supervisors).toHaveLength(1);
    expect(supervisors[0]!.text).toContain('Pool: Tunis team.');
    expect(supervisors[0]!.text).toContain('|Open the case>');
    // A case claimed meanwhile is not nagged about.
    await handoff.claim(c.id, advisor(anna));
    await backend.remind(c, 2);
    await backend.idle();
    expect(slack.channelMessages('C_SUPERVISORS')).toHaveLength(1);
  });

  it('a transfer moves the case to the new pool\'s channel and leaves a pointer behind', async () => {
    const c = await openShown();
    await handoff.claim(c.id, advisor(anna));
    await handoff.transfer(c.id, advisor(anna), 'tunis');
    await backend.idle();
    expect(shown(c)).toContain('Moved to *Tunis team*');
    const moved = (await handoff.get(c.id))!;
    expect(moved.slack!.channel).toBe('C_TUNIS');
    expect(JSON.stringify(slack.message('C_TUNIS', moved.slack!.ts)!.blocks)).toContain(CASE_ACTION.claim);
  });

  it('a Slack failure in the transport throws, so the lane retries it: 429 waits, a missing channel is permanent', async () => {
    // This test plays the lane itself.
    backend.pause();
    const c = await backend.open();
    slack.failNext('chat.postMessage', { rateLimited: 7 });
    await expect(transport.notify(c, { id: '1', type: 'opened', at: c.createdAt })).rejects.toBeInstanceOf(RateLimitedError);
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(transport.notify(c, { id: '1', type: 'opened', at: c.createdAt })).rejects.toBeInstanceOf(PermanentSendError);
    slack.failNext('chat.postMessage', { status: 500 });
    await expect(transport.notify(c, { id: '1', type: 'opened', at: c.createdAt })).rejects.toThrow(/chat.postMessage/);
    // Nothing was recorded as posted; the next attempt posts it.
    expect((await handoff.get(c.id))!.slack).toBeUndefined();
    await transport.notify(c, { id: '1', type: 'opened', at: c.createdAt });
    expect((await handoff.get(c.id))!.slack).toBeDefined();
  });

  it('a case message someone deleted is posted again on the next change', async () => {
    const c = await openShown();
    slack.messages.delete(`${c.slack.channel}:${c.slack.ts}`);
    await handoff.claim(c.id, advisor(anna));
    await backend.idle();
    const now = (await handoff.get(c.id))!;
    expect(now.slack!.ts).not.toBe(c.slack.ts);
    expect(JSON.stringify(slack.message(now.slack!.channel, now.slack!.ts)!.blocks)).toContain('Held by* Anna');
    expect(backend.failures).toEqual([]);
  });

  it('a failing HandoffApi never crashes the server: the advisor is asked to try again', async () => {
    const c = await openShown();
    handoff.claim = async () => {
      throw new Error('redis down');
    };
    expect((await click(c, anna, CASE_ACTION.claim)).status).toBe(200);
    await slack.until(() => slack.ephemerals.length === 1, 5_000, 'the apology');
    expect(slack.ephemerals[0]!.text).toBe('Lotse could not claim the case just now; please try again.');
    expect(errors.map((e) => (e as Error).message)).toEqual(['redis down']);
    expect((await fetch(url.replace('/slack/events', '/healthz'))).status).toBe(200);
  });
});
