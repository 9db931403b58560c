import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChannel, TELEGRAM_WEBHOOK_PATH } from '../../src/channels/telegram/adapter.js';
import { toInboundMessage } from '../../src/channels/telegram/inbound.js';
import { parseTelegramUpdate, TelegramUpdateInvalidError } from '../../src/channels/telegram/update-schema.js';
import { cutText, MAX_TEXT_LENGTH, type InboundMessage } from '../../src/core/message.js';
import { createHttpServer } from '../../src/infra/http-server.js';
import { createLogger } from '../../src/infra/logger.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { FakeTelegramServer } from '../helpers/fake-telegram-server.js';

/**
 * Property-based fuzzing of the Telegram entry points. FUZZ_RUNS sets the runs of each webhook
 * property (default 2000; the full run uses 10000); FUZZ_SEED replays a failure, whose seed is
 * in the error message.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SECRET = 'fuzz-secret_0123456789';
/** About 5 ms a run at most, on a slow machine. */
const TIMEOUT = 60_000 + RUNS * 5;

async function check<T>(name: string, property: fc.IAsyncProperty<T>, numRuns = RUNS): Promise<void> {
  try {
    await fc.assert(property, { numRuns, seed: SEED, endOnFailure: false });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(`${name} failed; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${numRuns} npx vitest run test/e2e/telegram-fuzz.test.ts\n${message.slice(0, 4000)}`, { cause: error });
  }
}

// ---- what Telegram could send ---------------------------------------------------------------

const ODD_TEXTS = ['', ' ', '\u0000', '\ud800', '\udfff', 'a\ud83d', '\u202e\u2066 rtl \u2069', '\ufeff', '👩‍👩‍👧‍👦', 'ﷺ', 'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍', '\r\n\t', '__proto__', '{"update_id":1}', 'مرحبا', '𝕳𝖊𝖑𝖑𝖔'];
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 6 });
const oddText = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom(...ODD_TEXTS), loneSurrogates);
const hugeText = fc
  .tuple(fc.integer({ min: MAX_TEXT_LENGTH + 1, max: 60_000 }), fc.constantFrom('a', 'é', '😀', 'ab😀', 'مرحبا '))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const text = fc.oneof({ weight: 5, arbitrary: oddText }, { weight: 1, arbitrary: hugeText });

const chatId = fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
const languageCode = fc.option(fc.constantFrom('en', 'de', 'ar', 'pt-br', 'zh-hans', ''), { nil: undefined });
const fileRef = fc.record({ file_id: fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), file_unique_id: fc.constant('u'), duration: fc.nat(600) });
/** Plain JSON values, without keys that JSON parsers refuse as prototype pollution. */
const plainValue: fc.Arbitrary<unknown> = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), oddText, fc.array(fc.integer(), { maxLength: 3 }));
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'update_id', 'message', 'callback_query', 'message_id', 'date', 'chat', 'from', 'text', 'caption', 'voice', 'audio', 'video_note', 'photo', 'document', 'sticker', 'location', 'id', 'data', 'type', 'language_code', 'file_id', 'mime_type']);
const extraFields = fc.dictionary(
  fc.stringMatching(/^[a-z_]{1,14}$/).filter((key) => !RESERVED.has(key)),
  plainValue,
  { maxKeys: 3 },
);

const content = fc.oneof(
  text.map((t) => ({ kind: 'text' as const, fields: { text: t } })),
  fc.tuple(fileRef, fc.option(text, { nil: undefined })).map(([voice, caption]) => ({ kind: 'voice' as const, fields: { voice: { ...voice, mime_type: 'audio/ogg' }, caption } })),
  fc.tuple(fc.array(fileRef, { maxLength: 3 }), fc.option(text, { nil: undefined })).map(([photo, caption]) => ({ kind: 'photo' as const, fields: { photo, caption } })),
  fileRef.map((document) => ({ kind: 'document' as const, fields: { document } })),
  fileRef.map((sticker) => ({ kind: 'sticker' as const, fields: { sticker } })),
  fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }).map((location) => ({ kind: 'location' as const, fields: { location } })),
);

interface ValidCase {
  update: Record<string, unknown>;
  /** What the sink must receive, or undefined when Lotse ignores the update (groups, edits, ...). */
  expected?: Partial<InboundMessage>;
}

const messageCase: fc.Arbitrary<ValidCase> = fc
  .record({
    updateId: fc.nat(),
    chat: chatId,
    type: fc.oneof({ weight: 4, arbitrary: fc.constant('private') }, { weight: 1, arbitrary: fc.constantFrom('group', 'supergroup', 'channel') }),
    messageId: fc.nat({ max: 2 ** 31 }),
    date: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    language: languageCode,
    content,
    extra: extraFields,
    messageExtra: extraFields,
  })
  .map(({ updateId, chat, type, messageId, date, language, content: c, extra, messageExtra }) => {
    const message = { ...messageExtra, message_id: messageId, date, chat: { id: chat, type, first_name: 'F' }, from: { id: 1, is_bot: false, first_name: 'F', language_code: language }, ...c.fields };
    const body = (c.fields as { text?: string; caption?: string }).text ?? (c.fields as { caption?: string }).caption ?? '';
    const cut = cutText(body);
    return {
      update: { ...extra, update_id: updateId, message },
      expected:
        type === 'private'
          ? { id: `telegram:${chat}:${messageId}`, userId: String(chat), kind: c.kind, text: cut.text, truncated: cut.truncated ? true : undefined, localeHint: language }
          : undefined,
    };
  });

const callbackCase: fc.Arbitrary<ValidCase> = fc
  .record({ updateId: fc.nat(), chat: chatId, id: fc.stringMatching(/^[0-9a-z]{1,40}$/), data: fc.string({ minLength: 1, maxLength: 64 }), language: languageCode })
  .map(({ updateId, chat, id, data, language }) => ({
    update: { update_id: updateId, callback_query: { id, chat_instance: '1', data, from: { id: 1, is_bot: false, first_name: 'F', language_code: language }, message: { message_id: 1, date: 0, chat: { id: chat, type: 'private' } } } },
    expected: { id: `telegram:${chat}:cb${id}`, userId: String(chat), action: data, text: '', localeHint: language },
  }));

const ignoredCase: fc.Arbitrary<ValidCase> = fc
  .record({ updateId: fc.nat(), kind: fc.constantFrom('edited_message', 'channel_post', 'my_chat_member', 'chat_member', 'poll', 'inline_query', 'message_reaction'), payload: fc.oneof(extraFields, plainValue) })
  .map(({ updateId, kind, payload }) => ({ update: { update_id: updateId, [kind]: payload } }));

const validCase = fc.oneof({ weight: 4, arbitrary: messageCase }, { weight: 2, arbitrary: callbackCase }, { weight: 1, arbitrary: ignoredCase });

/** A field Lotse reads, and values it must refuse there. */
const BROKEN_FIELDS: { path: string[]; bad: fc.Arbitrary<unknown> }[] = [
  { path: ['update_id'], bad: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 1e6, noInteger: true }), fc.constantFrom(2 ** 53, 1e300, '1', null, true, [], {})) },
  { path: ['message', 'message_id'], bad: fc.oneof(fc.integer({ max: -1 }), fc.constantFrom(1.5, 2 ** 60, '7', null, {})) },
  { path: ['message', 'date'], bad: fc.oneof(fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }), fc.integer({ max: -1 }), fc.constantFrom(1e20, '2024-01-01', null, [])) },
  { path: ['message', 'chat'], bad: fc.constantFrom(null, 42, 'chat', [], true) },
  { path: ['message', 'chat', 'id'], bad: fc.oneof(fc.constantFrom(2 ** 53 + 2, -(2 ** 60), 0.5, '42', null, { toString: 1 }, [])) },
  { path: ['message', 'chat', 'type'], bad: fc.oneof(fc.constantFrom(null, 1, [], {}), fc.constant('private'.repeat(20))) },
  { path: ['message', 'text'], bad: fc.constantFrom(null, 1, [], {}, true) },
  { path: ['message', 'caption'], bad: fc.constantFrom(null, 1, ['x']) },
  { path: ['message', 'from'], bad: fc.constantFrom(null, 'me', 1) },
  { path: ['message', 'from', 'language_code'], bad: fc.oneof(fc.constantFrom(null, 1, ['en']), fc.string({ minLength: 36, maxLength: 200 })) },
  { path: ['message', 'voice'], bad: fc.constantFrom(null, 'v', 1, [], { file_id: 1 }, { file_id: '' }, { file_id: 'x'.repeat(600) }) },
  { path: ['message', 'photo'], bad: fc.constantFrom(null, 'p', {}, [null], [{ file_id: 2 }]) },
  { path: ['message', 'location'], bad: fc.constantFrom(null, 'here', { latitude: 91, longitude: 0 }, { latitude: '1', longitude: 2 }) },
  { path: ['callback_query', 'id'], bad: fc.constantFrom(null, 1, '', 'x'.repeat(300)) },
  { path: ['callback_query', 'from'], bad: fc.constantFrom(null, 'u', 1) },
  { path: ['callback_query', 'data'], bad: fc.oneof(fc.constantFrom(null, 1, {}), fc.string({ minLength: 65, maxLength: 500 })) },
  { path: ['callback_query', 'message', 'chat', 'id'], bad: fc.constantFrom(null, 'c', 1.25, 2 ** 53 + 2) },
];
const REQUIRED = [['update_id'], ['message', 'message_id'], ['message', 'date'], ['message', 'chat'], ['message', 'chat', 'id'], ['message', 'chat', 'type'], ['callback_query', 'id'], ['callback_query', 'from']];

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Sets (or with `remove`, deletes) the value at path; false when the path is not in this update. */
function mutate(update: Record<string, unknown>, path: string[], change: { remove: true } | { value: unknown }): boolean {
  let node: Record<string, unknown> = update;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return false;
    node = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  // A field that is optional and absent cannot be "removed"; setting a wrong value to it is still a case.
  if ('remove' in change) {
    if (!(last in node)) return false;
    delete node[last];
  } else {
    node[last] = change.value;
  }
  return true;
}

/** Every path of an update's objects (to damage one at random). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

type Header = { kind: 'right' } | { kind: 'missing' } | { kind: 'wrong'; value: string };
const wrongSecret = fc
  .oneof(
    fc.constant(SECRET.slice(0, -1) + 'X'),
    fc.constant(SECRET.toUpperCase()),
    fc.constant(`${SECRET} `.trim() + 'x'),
    fc.constant(''),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  )
  .filter((value) => value !== SECRET);
const header: fc.Arbitrary<Header> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'right' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
  { weight: 1, arbitrary: wrongSecret.map((value) => ({ kind: 'wrong' as const, value })) },
);

// ---- the webhook, over Fastify inject -------------------------------------------------------

describe('POST /telegram/webhook under fuzzing', { timeout: TIMEOUT }, () => {
  let telegram: FakeTelegramServer;
  let server: FastifyInstance;
  const accepted: InboundMessage[] = [];
  const reported: unknown[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    telegram = await new FakeTelegramServer().start();
    const sink = { accept: async (message: InboundMessage) => void accepted.push(message) };
    const channel = new TelegramChannel(
      { token: telegram.token, mode: 'webhook', webhookSecret: SECRET, apiRoot: telegram.url, limits: {} },
      sink,
      (error) => reported.push(error),
      telegram.botInfo,
    );
    const destination = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
    server = createHttpServer({ channels: [channel], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }), logger: createLogger('info', destination) });
    await server.ready();
  });

  afterAll(async () => {
    await server.close();
    await telegram.stop();
    // No 500 was logged in any of the runs.
    expect(logLines).toEqual([]);
  });

  async function post(payload: string, auth: Header = { kind: 'right' }, contentType = 'application/json') {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (auth.kind === 'right') headers['x-telegram-bot-api-secret-token'] = SECRET;
    if (auth.kind === 'wrong') headers['x-telegram-bot-api-secret-token'] = auth.value;
    const before = accepted.length;
    const reportedBefore = reported.length;
    const response = await server.inject({ method: 'POST', url: TELEGRAM_WEBHOOK_PATH, headers, payload });
    const taken = accepted.slice(before);
    // Whatever came in: never a 5xx, and nothing queued unless the answer is 200.
    expect(response.statusCode).toBeLessThan(500);
    if (response.statusCode !== 200) expect(taken).toEqual([]);
    expect(taken.length).toBeLessThanOrEqual(1);
    if (auth.kind !== 'right') {
      expect(response.statusCode).toBe(401);
      expect(reported.length).toBe(reportedBefore);
    }
    return { status: response.statusCode, body: response.body, taken, reports: reported.slice(reportedBefore) };
  }

  it('accepts every valid update once, as the message it carries; ignores the kinds Lotse does not handle', async () => {
    await check(
      'valid updates',
      fc.asyncProperty(validCase, async ({ update, expected }) => {
        const { status, taken } = await post(JSON.stringify(update));
        expect(status).toBe(200);
        if (!expected) {
          expect(taken).toEqual([]);
          return;
        }
        expect(taken).toHaveLength(1);
        const message = taken[0]!;
        for (const [key, value] of Object.entries(expected)) expect(message[key as keyof InboundMessage], key).toEqual(value);
        expect(message.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      }),
    );
  });

  it('refuses an update with a field Lotse reads missing or wrong with 400 and a short reason, queues nothing', async () => {
    const damaged = fc
      .tuple(validCase, fc.oneof(fc.constantFrom(...REQUIRED).map((path) => ({ path, remove: true as const })), fc.constantFrom(...BROKEN_FIELDS).chain(({ path, bad }) => bad.map((value) => ({ path, value })))))
      .map(([valid, damage]) => {
        const update = clone(valid.update);
        const applied = mutate(update, damage.path, 'remove' in damage ? { remove: true } : { value: damage.value });
        return { update, applied, damage };
      })
      .filter(({ applied }) => applied);
    await check(
      'damaged updates',
      fc.asyncProperty(damaged, async ({ update }) => {
        const { status, body, taken, reports } = await post(JSON.stringify(update));
        expect(status).toBe(400);
        expect(taken).toEqual([]);
        const reason = (JSON.parse(body) as { error: string }).error;
        expect(reason.length).toBeLessThan(400);
        // Reported for the log once, coded, with no content of the update.
        expect(reports).toHaveLength(1);
        expect(reports[0]).toBeInstanceOf(TelegramUpdateInvalidError);
        const text = (update.message as { text?: unknown } | undefined)?.text;
        if (typeof text === 'string' && text.length >= 12 && /^[\p{L}\p{N} ]+$/u.test(text)) expect(reason).not.toContain(text);
      }),
    );
  });

  it('survives random damage anywhere in a valid update, right/wrong/missing secret', async () => {
    const damaged = fc
      .tuple(validCase, fc.nat(), fc.oneof(fc.constant({ remove: true as const }), fc.oneof(fc.jsonValue({ maxDepth: 2 }), text, fc.constantFrom(-1, 2 ** 53, 1e308, -1e308, 0.5, '', [], {})).map((value) => ({ value }))), header)
      .map(([valid, pick, change, auth]) => {
        const update = clone(valid.update);
        const all = paths(update);
        if (all.length > 0) mutate(update, all[pick % all.length]!, change);
        return { update, auth };
      });
    await check(
      'randomly damaged updates',
      fc.asyncProperty(damaged, async ({ update, auth }) => {
        const { status, taken } = await post(JSON.stringify(update), auth);
        expect([200, 400, 401]).toContain(status);
        if (taken.length === 1) expect(taken[0]!.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      }),
    );
  });

  it('survives arbitrary JSON and arbitrary bytes, right/wrong/missing secret', async () => {
    const payload = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }).map((value) => JSON.stringify(value) ?? 'undefined'),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('', '{', '[]', 'null', '"update"', '{"update_id":1,"__proto__":{"x":1}}', '{"update_id":1,"constructor":{"prototype":{"x":1}}}', '{"update_id":1e999}', '{"update_id":1}'.repeat(3)),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml');
    await check(
      'arbitrary bodies',
      fc.asyncProperty(payload, header, contentType, async (body, auth, type) => {
        const { status } = await post(body, auth, type);
        expect([200, 400, 401, 413, 415]).toContain(status);
      }),
    );
  });
});

// ---- long polling, through the fake Bot API -------------------------------------------------

describe('long polling under fuzzing', { timeout: TIMEOUT }, () => {
  it('skips malformed updates (reported without content) and goes on with the next ones', async () => {
    const telegram = await new FakeTelegramServer().start();
    const accepted: InboundMessage[] = [];
    const reported: unknown[] = [];
    const channel = new TelegramChannel(
      { token: telegram.token, mode: 'polling', apiRoot: telegram.url, limits: {} },
      { accept: async (message) => void accepted.push(message) },
      (error) => reported.push(error),
      telegram.botInfo,
    );
    await channel.start();
    try {
      // A polled update keeps a valid update_id (the fake Bot API numbers them): the rest is damaged.
      const damaged = fc
        .tuple(validCase, fc.nat(), fc.oneof(fc.constant({ remove: true as const }), fc.oneof(fc.jsonValue({ maxDepth: 2 }), text, fc.constantFrom(-1, 2 ** 53, 0.5, null, [], {})).map((value) => ({ value }))))
        .map(([valid, pick, change]) => {
          const { update_id: _id, ...update } = clone(valid.update);
          const all = paths(update);
          if (all.length > 0) mutate(update, all[pick % all.length]!, change);
          return update;
        });
      const batch = fc.array(fc.oneof(validCase.map(({ update: { update_id: _id, ...update } }) => update), damaged), { minLength: 1, maxLength: 8 });
      // What the webhook would do with each update (the schema is fuzzed above): polling must do the
      // same, none lost to grammY or the runner, none crashing them.
      let expectAccepted = 0;
      let expectInvalid = 0;
      await check(
        'polled batches',
        fc.asyncProperty(batch, async (updates) => {
          for (const update of updates) {
            const sent = telegram.pushUpdate(update);
            const parsed = parseTelegramUpdate(JSON.parse(JSON.stringify(sent)));
            if (!parsed.ok) expectInvalid++;
            else if (toInboundMessage(parsed.update)) expectAccepted++;
          }
          await telegram.until(() => accepted.length === expectAccepted && reported.length === expectInvalid, 10_000, `${expectAccepted} accepted, ${expectInvalid} reported`);
        }),
        Math.max(20, Math.round(RUNS / 40)),
      );
      expect(expectInvalid).toBeGreaterThan(0);
      for (const error of reported) expect(error).toBeInstanceOf(TelegramUpdateInvalidError);
      // The channel still takes a plain message after all that.
      telegram.pushUpdate(telegram.textUpdate(1, 'still here'));
      await telegram.until(() => accepted.some((m) => m.text === 'still here'), 10_000, 'a last message');
    } finally {
      await channel.stop();
      await telegram.stop();
    }
  });
});
