import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutText } from '../../../src/core/message.js';
import { webChatApp, type WebChatApp } from './web-chat-harness.js';

/**
 * Property-based fuzzing of the web chat's endpoints: whatever arrives, never a 5xx, never a
 * crash, a short reason with every refusal, and nothing queued unless the answer is 202.
 * FUZZ_RUNS sets the number of runs (default 2000); FUZZ_SEED replays a failure (fast-check
 * prints the seed and path of any failing case).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const UNLIMITED = { perSession: 1e9, perIp: 1e9 };
const TIMEOUT = 120_000 + RUNS * 30;

async function check<T>(name: string, property: fc.IAsyncProperty<T>, numRuns = RUNS): Promise<void> {
  try {
    await fc.assert(property, { numRuns, seed: SEED });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(`${name} failed; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx vitest run test/integration/channels/web-chat-fuzz.test.ts\n${message.slice(0, 4000)}`, { cause: error });
  }
}

let app: WebChatApp;
let sessions: string[];
beforeAll(async () => {
  app = await webChatApp({ rateLimits: { messages: UNLIMITED, events: UNLIMITED, session: UNLIMITED }, maxStreamsPerSession: 1e6, maxStreams: 1e6 });
  sessions = await Promise.all([1, 2, 3].map(async () => (await app.session()).id));
});
afterAll(async () => {
  expect(await app?.close()).toEqual([]);
});

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 80 });
const edgeString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', ' ', '\n', '\u0000', '\ud800', '💥'.repeat(3000), 'x'.repeat(4001), '__proto__', 'constructor'),
);
const edgeValue = fc.oneof(edgeString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));

/** Bodies a client may send: valid-looking shapes with edge values, JSON of any shape, raw text, bytes, huge. */
const body = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), edgeValue), text: edgeValue, action: edgeValue, lang: fc.oneof(fc.constantFrom('en', 'ar-EG'), edgeValue), session: edgeValue }, { requiredKeys: [] })
      .map((value) => JSON.stringify(value)),
  },
  { weight: 2, arbitrary: fc.record({ id: fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), text: edgeString }).map((value) => JSON.stringify(value)) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? '') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom('{"id":"a","text":"' + 'x'.repeat(70_000) + '"}', '{"__proto__":{"x":1},"id":"a","text":"hi"}', '{"id":"a","text":"hi"', 'null', '[]', '""') },
);
/** Mostly JSON, so that most bodies reach the schema; sometimes anything. */
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') },
  { weight: 2, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1') },
  { weight: 1, arbitrary: printable },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
/** No cookie, one of the issued sessions, or a cookie header of anything. */
type CookieChoice = { valid: true; index: number } | { valid: false; header: string } | undefined;
const cookie: fc.Arbitrary<CookieChoice> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(0, 1, 2).map((index) => ({ valid: true as const, index })) },
  { weight: 1, arbitrary: printable.map((text) => ({ valid: false as const, header: text })) },
  { weight: 2, arbitrary: printable.map((text) => ({ valid: false as const, header: `lotse_chat=${text}` })) },
  { weight: 2, arbitrary: fc.constant(undefined) },
);
const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,10}$/), printable, { maxKeys: 3 });
const lastEventId = fc.option(fc.oneof(fc.stringMatching(/^\d{1,20}-\d{1,20}$/), printable), { nil: undefined });

/** A message that must be taken: a valid cookie, JSON, a proper shape with edge-case contents. */
const validMessage = fc.record(
  {
    id: fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
    text: fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.string({ unit: 'binary', minLength: 3900, maxLength: 6000 })).filter((text) => text.trim() !== ''),
    action: fc.string({ minLength: 1, maxLength: 64 }),
    lang: fc.constantFrom('en', 'fr-FR', 'ar', 'zh-Hant-TW'),
  },
  { requiredKeys: ['id', 'text'] },
);

const headersFor = (choice: CookieChoice, type: string | undefined, extra: Record<string, string>) => {
  const headers: Record<string, string> = { ...extra };
  if (choice) headers.cookie = choice.valid ? `lotse_chat=${sessions[choice.index]}` : choice.header;
  if (type !== undefined) headers['content-type'] = type;
  return headers;
};

function expectShortReason(status: number, payload: string) {
  if (status < 400) return;
  const reason = (JSON.parse(payload) as { error?: unknown }).error;
  expect(typeof reason).toBe('string');
  expect((reason as string).length).toBeLessThan(300);
}

describe(`fuzzing the web chat (${RUNS} runs, seed ${SEED})`, () => {
  it('POST /chat/messages: never a 5xx, nothing queued unless accepted', { timeout: TIMEOUT }, async () => {
    await check(
      'POST /chat/messages',
      fc.asyncProperty(body, contentType, cookie, extraHeaders, async (payload, type, session, extra) => {
        const before = app.accepted.length;
        const response = await app.server.inject({ method: 'POST', url: '/chat/messages', headers: headersFor(session, type, extra), payload });
        expect(response.statusCode).toBeLessThan(500);
        expectShortReason(response.statusCode, response.payload);
        expect(app.accepted.length - before).toBe(response.statusCode === 202 ? 1 : 0);
        if (!session?.valid) expect(response.statusCode).not.toBe(202);
      }),
    );
  });

  it('POST /chat/messages: a valid message is taken, under the cookie session, cut if too long', { timeout: TIMEOUT }, async () => {
    await check(
      'POST /chat/messages (valid)',
      fc.asyncProperty(validMessage, fc.constantFrom(0, 1, 2), fc.constantFrom('application/json', 'application/json; charset=utf-8'), async (message, index, type) => {
        const before = app.accepted.length;
        const response = await app.server.inject({ method: 'POST', url: '/chat/messages', headers: { cookie: `lotse_chat=${sessions[index]}`, 'content-type': type }, payload: JSON.stringify(message) });
        expect(response.statusCode).toBe(202);
        expect(app.accepted.length - before).toBe(1);
        const queued = app.accepted.at(-1)!;
        const cut = cutText(message.text);
        expect(queued).toMatchObject({ id: `web:${sessions[index]}:${message.id}`, userId: sessions[index], text: cut.text });
        expect(queued.truncated ?? false).toBe(cut.truncated);
      }),
      Math.ceil(RUNS / 4),
    );
  });

  it('GET /chat/events: never a 5xx; a stream only with a valid cookie', { timeout: TIMEOUT }, async () => {
    await check(
      'GET /chat/events',
      fc.asyncProperty(cookie, lastEventId, extraHeaders, printable, async (session, resumeAt, extra, query) => {
        const headers = headersFor(session, undefined, extra);
        if (resumeAt !== undefined) headers['last-event-id'] = resumeAt;
        const abort = new AbortController();
        const response = await app.server.inject({ method: 'GET', url: `/chat/events?${encodeURIComponent(query)}`, headers, payloadAsStream: true, signal: abort.signal });
        try {
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 200) {
            expect(session?.valid).toBe(true);
            expect(response.headers['content-type']).toContain('text/event-stream');
          } else {
            expect(session?.valid ?? false).toBe(false);
            expect(response.statusCode).toBe(401);
          }
        } finally {
          abort.abort();
        }
      }),
    );
  });
});
