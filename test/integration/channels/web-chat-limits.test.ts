import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, webChatApp, type WebChatApp } from './web-chat-harness.js';

const WINDOW_MS = 1_000;
let app: WebChatApp;
let url: string;
beforeAll(async () => {
  app = await webChatApp({
    rateWindowMs: WINDOW_MS,
    rateLimits: { messages: { perSession: 3, perIp: 5 }, events: { perSession: 100, perIp: 100 }, session: { perSession: 100, perIp: 100 } },
    maxStreamsPerSession: 3,
    maxStreams: 5,
  });
  url = await app.listen();
});
afterAll(async () => {
  expect(await app?.close()).toEqual([]);
});

const post = (cookie: string, id: string, remoteAddress = '127.0.0.1') =>
  app.server.inject({ method: 'POST', url: '/chat/messages', remoteAddress, headers: { cookie }, payload: { id, text: 'Hello' } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('web chat rate limits (counted in Redis)', () => {
  it('refuses a fourth message of one session in the window, politely, and takes it again afterwards', async () => {
    const { cookie } = await app.session('10.0.0.1');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(cookie, `s${i}`, '10.0.0.1')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const refused = await post(cookie, 's5', '10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatch(/^You are sending messages faster than Lotse can read them\. Please wait \d+ seconds? and send again\.$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await app.keys()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${app.prefix}web:rate:session:messages:[0-9a-f]{40}$`))]));
    await sleep(WINDOW_MS + 100);
    expect((await post(cookie, 's6', '10.0.0.1')).statusCode).toBe(202);
  });

  it('refuses the sixth message from one address even from new sessions, and not another address', async () => {
    const sessions = await Promise.all([1, 2, 3].map(() => app.session('10.0.0.2')));
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(sessions[i % 3]!.cookie, `i${i}`, '10.0.0.2')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const { cookie } = await app.session('10.0.0.3');
    expect((await post(cookie, 'other', '10.0.0.3')).statusCode).toBe(202);
    await sleep(WINDOW_MS + 100);
    expect((await post(sessions[0]!.cookie, 'later', '10.0.0.2')).statusCode).toBe(202);
  });

  it('queues nothing it refused', async () => {
    const { cookie } = await app.session('10.0.0.4');
    const before = app.accepted.length;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(cookie, `q${i}`, '10.0.0.4')).statusCode);
    expect(app.accepted.length - before).toBe(statuses.filter((status) => status === 202).length);
  });
});

describe('web chat event stream caps', () => {
  it('refuses the fourth open stream of one session, and takes one again when another closes', async () => {
    const { cookie } = await app.session();
    const streams = [1, 2, 3].map(() => openEvents(url, { cookie }));
    expect((await Promise.all(streams.map((s) => s.response))).map((r) => r.status)).toEqual([200, 200, 200]);
    const fourth = openEvents(url, { cookie });
    const refused = await fourth.response;
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatch(/too many windows/);
    streams[0]!.close();
    await sleep(100);
    const again = openEvents(url, { cookie });
    expect((await again.response).status).toBe(200);
    for (const stream of [...streams, again]) stream.close();
    await sleep(100);
  });

  it('refuses a stream beyond the process total, whatever the session', async () => {
    const sessions = await Promise.all([1, 2, 3].map(() => app.session()));
    const open = [...sessions.slice(0, 2).flatMap(({ cookie }) => [openEvents(url, { cookie }), openEvents(url, { cookie })]), openEvents(url, { cookie: sessions[2]!.cookie })];
    expect((await Promise.all(open.map((s) => s.response))).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const beyond = openEvents(url, { cookie: sessions[2]!.cookie });
    const refused = await beyond.response;
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatch(/very busy/);
    for (const stream of open) stream.close();
    await sleep(100);
  });

  it('refuses a stream without a session', async () => {
    const none = await openEvents(url).response;
    expect(none.status).toBe(401);
    const forged = await openEvents(url, { cookie: 'lotse_chat=x' }).response;
    expect(forged.status).toBe(401);
  });
});
