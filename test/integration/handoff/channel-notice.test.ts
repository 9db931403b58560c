import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Case, CaseEvent, NewCase } from '../../../src/core/case.js';
import { createSlackClient } from '../../../src/handoff/advisors/slack/client.js';
import { SlackAdvisorTransport } from '../../../src/handoff/advisors/slack/transport.js';
import { CaseRepository } from '../../../src/handoff/case-repository.js';
import { HandoffService, type HandoffSignals } from '../../../src/handoff/handoff-service.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { FakeSlackServer } from '../../helpers/fake-slack-server.js';
import { poolDirectory } from '../../helpers/memory-handoff-console.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';
import { consoleApp, type ConsoleApp } from './console-harness.js';

const CHANNEL = 'C0ADVISORS';
const redis = new Redis(inject('redisUrl'));
const prefix = `test:channel-notice:${randomUUID()}:`;
const slack = new FakeSlackServer();
/** What the service announced, in order: the console's feed and the Slack lane get exactly these. */
const announced: { caseId: string; event: CaseEvent }[] = [];
let transport: SlackAdvisorTransport;

/** Announces as RedisHandoffSignals does, with the notice lane replaced by a direct call of the Slack transport (the case as it is now). */
const signals: HandoffSignals = {
  announce: async (c, _eventId, event) => {
    announced.push({ caseId: c.id, event });
    await transport.notify((await service.get(c.id)) ?? c, event);
  },
  scheduleSla: async () => undefined,
};
const service = new HandoffService({
  repository: new CaseRepository(redis, prefix, 1),
  pools: poolDirectory([{ id: 'general' }], 'general'),
  translator: new I18nTranslator(Messages.create()),
  signals,
});

const newCase = (): NewCase => ({ conversationKey: `whatsapp:${randomUUID()}`, channel: 'whatsapp', userId: '4915100000000', language: 'en', reason: 'user_request', priority: 'normal', brief: 'brief' });
const notices = async (c: Case) => (await service.events(c.id)).filter((e) => e.type === 'channel_notice');
const thread = (c: Case) => slack.threadReplies(CHANNEL, c.slack!.ts).map((m) => m.text);

beforeAll(async () => {
  await slack.start();
  transport = new SlackAdvisorTransport(createSlackClient({ apiUrl: slack.apiUrl, botToken: slack.token }), service, { advisorChannel: CHANNEL });
});
afterAll(async () => {
  await slack.stop();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe('a channel notice (WhatsApp’s 24-hour window) in a case, on Redis', () => {
  it('does nothing when the conversation has no open case', async () => {
    const before = announced.length;
    await service.noticeChannel(`whatsapp:${randomUUID()}`, { kind: 'window_closing', closesAt: '2026-03-02T14:05:00.000Z' });
    expect(announced.length).toBe(before);
    expect(await scanKeys(redis, `${prefix}*notice*`)).toEqual([]);
  });

  it('does nothing once the case is resolved', async () => {
    const c = await service.open(newCase());
    expect((await service.resolve(c.id, { id: 'amira', name: 'Amira', via: 'console' })).ok).toBe(true);
    await service.noticeChannel(c.conversationKey, { kind: 'window_closed', template: true });
    expect(await notices(c)).toEqual([]);
  });

  it('records a warning once however often the channel repeats it, announces it, and posts it in the Slack thread', async () => {
    const c = await service.open(newCase());
    const closing = { kind: 'window_closing', closesAt: '2026-03-02T14:05:00.000Z' } as const;
    await service.noticeChannel(c.conversationKey, closing);
    await service.noticeChannel(c.conversationKey, closing);
    const recorded = await notices(c);
    expect(recorded).toEqual([{ id: expect.any(String), type: 'channel_notice', at: expect.any(String), notice: closing }]);
    expect(announced.filter((a) => a.caseId === c.id && a.event.type === 'channel_notice')).toEqual([{ caseId: c.id, event: recorded[0] }]);

    const posted = (await service.get(c.id))!;
    expect(thread(posted)).toEqual([':hourglass_flowing_sand: *WhatsApp:* the 24-hour window for free replies closes at 14:05 (UTC) — reply before then; afterwards only an approved template reaches the user.']);
  });

  it('records a closed window once per window: again after the user wrote and the new window closed too', async () => {
    const c = await service.open(newCase());
    await service.noticeChannel(c.conversationKey, { kind: 'window_closed', template: true });
    await service.noticeChannel(c.conversationKey, { kind: 'window_closed', template: true });
    expect(await notices(c)).toHaveLength(1);

    await service.record(c, { type: 'user_message', text: 'Hello again' }, randomUUID());
    await service.noticeChannel(c.conversationKey, { kind: 'window_closed', template: false });
    await service.noticeChannel(c.conversationKey, { kind: 'window_closed', template: false });
    expect((await notices(c)).map((e) => (e as Extract<CaseEvent, { type: 'channel_notice' }>).notice)).toEqual([
      { kind: 'window_closed', template: true },
      { kind: 'window_closed', template: false },
    ]);

    const posted = (await service.get(c.id))!;
    expect(thread(posted).filter((text) => text?.startsWith(':no_entry:'))).toEqual([
      ':no_entry: *WhatsApp:* the 24-hour window has closed. Your replies wait until the user writes again; the user was sent the approved template.',
      ':no_entry: *WhatsApp:* the 24-hour window has closed. Your replies wait until the user writes again; no template is configured, so the user was not told.',
    ]);
  });
});

describe('a channel notice in the advisor console', () => {
  let app: ConsoleApp;
  beforeAll(async () => {
    app = await consoleApp({}, 'redis');
    await app.addAdvisor('amira', ['general']);
  });
  afterAll(async () => {
    expect(await app?.close()).toEqual([]);
  });

  it('is in the case’s history as the API gives it', async () => {
    const c = await app.desk.open({ pool: 'general', channel: 'whatsapp' });
    await (app.handoff as HandoffService).noticeChannel(c.conversationKey, { kind: 'window_closing', closesAt: '2026-03-02T14:05:00.000Z' });
    const amira = await app.signIn('amira');
    const response = await app.server.inject({ method: 'GET', url: `/advisor/api/cases/${c.id}`, headers: { cookie: amira.cookie } });
    expect(response.statusCode).toBe(200);
    const events = (response.json() as { events: CaseEvent[] }).events;
    expect(events.map((e) => e.type)).toEqual(['opened', 'channel_notice']);
    expect(events[1]).toMatchObject({ notice: { kind: 'window_closing', closesAt: '2026-03-02T14:05:00.000Z' } });
  });
});
