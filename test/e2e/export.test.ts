import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { AdvisorRef } from '../../src/core/case.js';
import { conversationKey } from '../../src/core/message.js';
import { createRedis } from '../../src/infra/redis.js';
import { runExportCommand } from '../../src/privacy/export-command.js';
import { openUserData } from '../../src/privacy/open-user-data.js';
import type { UserDataExport } from '../../src/privacy/user-data-export.js';
import { PermanentItemError } from '../../src/queue/lanes/lane-errors.js';
import { FakeClientFactory } from '../helpers/fake-wweb-client.js';
import { runLotse } from '../helpers/running-lotse.js';
import { everyJob, everything, found } from '../helpers/stored-data.js';

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

const amal: AdvisorRef = { id: 'amal', name: 'Amal', via: 'console' };
/** A WhatsApp user, typed by the data protection officer as they wrote it in their e-mail. */
const USER = '4917699887766';
const USER_AS_TYPED = ['+49', '176', '99887766'];
const OTHER = '4917699887700';
const USER_WORDS = ['Ottoline', 'Farthingale', 'Bartholomew', 'Crumblewick', 'Thistledown', 'Snorkelwick', 'Pumpernickel'];
const WEB_WORDS = ['Rosalind', 'Peregrine'];
const OTHER_WORDS = ['Gwendolyn', 'Pepperpot'];
const FAILS = 'Snorkelwick';
const PHOTO = Buffer.from('Pumpernickel-photo-bytes');

/** The whole app with WhatsApp Web (a fake phone) and the web chat; replies that fail wait a minute in their queue. */
async function start() {
  const factory = new FakeClientFactory();
  factory.linked = true;
  const lotse = await runLotse({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: process.execPath }, undefined, {
    whatsappWebClient: factory.create,
    backoffMs: () => 60_000,
    handle: (_queues, pipeline) => async (message) => {
      if (message.text.includes(FAILS)) throw new PermanentItemError('the conversation store refused it');
      return pipeline(message);
    },
  });
  running.push(() => lotse.cleanup());
  await vi.waitFor(() => expect(factory.last?.initialized).toBe(true), { timeout: 10_000 });
  const sentTo = (user: string) => factory.clients.flatMap((client) => client.sent).filter((sent) => sent.chatId === `${user}@c.us`);
  const say = async (user: string, message: Parameters<NonNullable<FakeClientFactory['last']>['receive']>[0], replies: number) => {
    const before = sentTo(user).length;
    factory.last!.receive({ from: `${user}@c.us`, ...message });
    await vi.waitFor(() => expect(sentTo(user).length).toBeGreaterThanOrEqual(before + replies), { timeout: 20_000 });
  };
  return { lotse, factory, say };
}

/** A web chat session, as the page opens one; messages posted as the page posts them. */
async function webChat(url: string) {
  const issued = await fetch(`${url}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const cookie = issued.headers.getSetCookie()[0]!.split(';')[0]!;
  const session = cookie.split('=')[1]!;
  let n = 0;
  const post = async (body: Record<string, string>) => {
    const posted = await fetch(`${url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ id: `m${++n}`, ...body }) });
    expect(posted.status).toBe(202);
  };
  return { session, post };
}

/** The export command as the CLI runs it, on the test's prefixes; what it printed. */
async function command(lotse: Awaited<ReturnType<typeof start>>['lotse'], argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const redis = createRedis(inject('redisUrl'), 'client');
  try {
    const code = await runExportCommand(argv, {
      open: () => openUserData({ redis, config: lotse.config, keyPrefix: lotse.keyPrefix, bullPrefix: lotse.queuePrefix }),
      out: (text) => out.push(text),
      err: (line) => err.push(line),
    });
    return { code, out: out.join(''), err: err.join('\n') };
  } finally {
    await redis.quit();
  }
}

describe('npm run export', () => {
  it("exports everything Lotse holds about a user, and nothing of anyone else's; --delete then erases it all and nothing is left", async () => {
    const { lotse, factory, say } = await start();
    const outboxLength = async (session: string) => {
      const redis = createRedis(inject('redisUrl'), 'client');
      const length = await redis.xlen(`${lotse.keyPrefix}web:outbox:${session}`);
      redis.disconnect();
      return length;
    };

    // Someone else on WhatsApp, and a web chat session.
    await say(OTHER, { body: 'Hello' }, 1);
    await say(OTHER, { body: 'yes' }, 1);
    await say(OTHER, { body: 'How many points do I need for the Opportunity Card? Gwendolyn Pepperpot asks.' }, 1);
    const web = await webChat(lotse.url!);
    await web.post({ text: 'Hello' });
    await vi.waitFor(async () => expect(await outboxLength(web.session)).toBe(1), { timeout: 20_000 });
    await web.post({ text: '', action: 'choice:yes' });
    await web.post({ text: 'How many points do I need for the Opportunity Card? Rosalind Peregrine asks.' });
    await vi.waitFor(async () => expect(await outboxLength(web.session)).toBeGreaterThanOrEqual(3), { timeout: 20_000 });

    // The user: a conversation, a photo (kept a day), a case with an advisor, a message given up on, replies that wait.
    await say(USER, { body: 'Hello' }, 1);
    await say(USER, { body: 'yes' }, 1);
    await say(USER, { body: 'How many points do I need for the Opportunity Card? Ottoline Farthingale asks for Bartholomew.' }, 1);
    await say(USER, { type: 'image', body: 'Crumblewick diploma', media: { mimetype: 'image/jpeg', data: PHOTO.toString('base64'), filename: 'diploma.jpg' } }, 1);
    await say(USER, { body: 'I want to talk to an advisor about Thistledown' }, 2);
    const opened = (await lotse.handoff.list(['default'])).find((c) => c.userId === USER)!;
    expect((await lotse.handoff.claim(opened.id, amal)).ok).toBe(true);
    await vi.waitFor(() => expect(factory.last!.sent.some((sent) => /now with you/.test(sent.content))).toBe(true), { timeout: 10_000 });
    factory.last!.receive({ from: `${USER}@c.us`, body: 'My Thistledown contract expired' });
    await vi.waitFor(async () => expect((await lotse.handoff.events(opened.id)).some((e) => e.type === 'user_message')).toBe(true), { timeout: 10_000 });
    await say(USER, { body: `Please send the ${FAILS} form to +49 171 2345678` }, 1);
    // WhatsApp stops taking messages: the advisor's replies wait in the queue.
    factory.last!.failSend = new Error('Evaluation failed');
    expect((await lotse.handoff.reply(opened.id, amal, 'Dear Ottoline, bring your Marzipan papers.', 'm-1')).ok).toBe(true);
    const key = conversationKey('whatsapp', USER);
    await vi.waitFor(async () => expect(await lotse.queues.outbound.length(key)).toBeGreaterThan(0), { timeout: 10_000 });

    // The export: to a new file only its owner can read; stderr says "the user", never the number.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-export-'));
    running.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'export.json');
    const exported = await command(lotse, ['whatsapp', ...USER_AS_TYPED, '--out', file]);
    expect(exported).toMatchObject({ code: 0, out: '' });
    expect(exported.err).toMatch(/^Wrote what Lotse holds about the user to .*export\.json/);
    expect(exported.err).not.toContain('99887766');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(await readFile(file, 'utf8')) as UserDataExport;
    expect(doc.about).toMatchObject({ channel: 'whatsapp', userId: USER, retentionDays: 90 });
    const sections = doc.about.holds.map((held) => held.section);
    expect(sections).toEqual(expect.arrayContaining(['conversation', 'cases', 'queued messages', 'messages given up on', 'advisor notices', 'web chat replies', 'whatsapp window and held replies', 'whatsapp web choices and files']));
    // Every section is listed, also where the user has nothing.
    expect(doc.about.holds.find((held) => held.section === 'web chat replies')).toMatchObject({ items: 0 });
    expect(doc.data['web chat replies']).toBeNull();
    const conversation = doc.data.conversation as { turns: { text: string }[]; consent: { status: string } };
    expect(conversation.consent.status).toBe('given');
    expect(conversation.turns.map((turn) => turn.text).join('\n')).toContain('Bartholomew');
    const [theCase] = doc.data.cases as { id: string; history: { type: string; text?: string; media?: { ref?: string } }[] }[];
    expect(theCase!.id).toBe(opened.id);
    expect(theCase!.history.map((event) => event.type)).toEqual(expect.arrayContaining(['opened', 'claimed', 'user_message', 'advisor_message']));
    expect(theCase!.history.find((event) => event.type === 'user_message')!.text).toContain('Thistledown contract');
    const queued = doc.data['queued messages'] as { repliesNotSentYet: { text: string }[]; jobs: { queue: string; state: string }[] };
    expect(queued.repliesNotSentYet.map((reply) => reply.text).join('\n')).toContain('Marzipan');
    expect(queued.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'outbound', state: 'delayed' })]));
    const letters = doc.data['messages given up on'] as { kind: string; text: string }[];
    expect(letters).toEqual([expect.objectContaining({ kind: 'inbound', text: expect.stringContaining(FAILS) })]);
    expect(JSON.stringify(doc)).not.toContain('2345678');
    const files = (doc.data['whatsapp web choices and files'] as { files: { mimeType: string; dataBase64: string }[] }).files;
    expect(files).toEqual([expect.objectContaining({ mimeType: 'image/jpeg', dataBase64: PHOTO.toString('base64') })]);
    // Nothing of the other WhatsApp user, nothing of the web chat.
    expect(found(JSON.stringify(doc), [OTHER, ...OTHER_WORDS, web.session, ...WEB_WORDS])).toEqual([]);
    // An export is never written over an existing file.
    await expect(command(lotse, ['whatsapp', USER, '--out', file])).rejects.toThrow(/the file exists/);

    // The web chat's session: its replies, and nothing of the WhatsApp users.
    const webExport = await command(lotse, ['web', web.session]);
    const webDoc = JSON.parse(webExport.out) as UserDataExport;
    expect((webDoc.data['web chat replies'] as { text: string }[]).map((reply) => reply.text).join('\n')).toMatch(/about your privacy/);
    expect(found(webExport.out, [USER, OTHER, ...USER_WORDS, ...OTHER_WORDS])).toEqual([]);
    expect(webExport.err).not.toContain(web.session);

    // The data protection officer erases both: counts only, then a check that nothing is left.
    const erased = await command(lotse, ['whatsapp', ...USER_AS_TYPED, '--delete']);
    expect(erased.code).toBe(0);
    expect(erased.out).toMatch(/^Erased what Lotse held about the user, as "delete" does:\n/);
    expect(erased.out).toMatch(/ {2}conversation: 1\n/);
    expect(erased.out).toMatch(/ {2}cases: 1\n/);
    expect(erased.out).toMatch(/ {2}messages given up on: 1\n/);
    expect(erased.out).toMatch(/Checked afterwards: nothing is left\.\n$/);
    expect(found(erased.out + erased.err, [USER, '99887766', ...USER_WORDS])).toEqual([]);
    expect((await command(lotse, ['web', web.session, '--delete'])).out).toMatch(/nothing is left/);

    // Every Redis key under the test's prefixes and every job of every queue, in every state.
    const prefixes = [`${lotse.queuePrefix}:`, lotse.keyPrefix];
    const stored = `${await everything(prefixes)}\n${await everyJob(lotse.queuePrefix)}`;
    expect(found(stored, [USER, web.session, ...USER_WORDS, ...WEB_WORDS, PHOTO.toString('base64'), '2345678'])).toEqual([]);
    // The case is gone (its id, a random one, may still name a finished timer in BullMQ's event log: it links to nothing now).
    expect(await lotse.handoff.get(opened.id)).toBeUndefined();
    expect(await lotse.handoff.events(opened.id)).toEqual([]);
    // The other user's data is untouched (and the scan does see it).
    expect(found(stored, [OTHER, ...OTHER_WORDS])).toEqual([OTHER, ...OTHER_WORDS]);
    // Exported again: every section empty.
    const after = JSON.parse((await command(lotse, ['whatsapp', USER])).out) as UserDataExport;
    expect(after.about.holds.every((held) => held.items === 0)).toBe(true);
  });
});
