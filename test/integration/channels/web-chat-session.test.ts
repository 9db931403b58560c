import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueUnavailableError } from '../../../src/core/errors.js';
import { MAX_TEXT_LENGTH } from '../../../src/core/message.js';
import { webChatApp, type WebChatApp } from './web-chat-harness.js';

let app: WebChatApp;
beforeAll(async () => {
  app = await webChatApp();
});
afterAll(async () => {
  expect(await app?.close()).toEqual([]);
});

describe('the web chat session cookie', () => {
  it('is issued by the server: HttpOnly, SameSite=Strict, Path=/chat, a day, 160 random bits', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/chat/session', payload: {} });
    expect(response.statusCode).toBe(204);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^lotse_chat=[0-9a-f]{40}; /);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/chat');
    expect(header).toContain('Max-Age=86400');
    expect(header).not.toContain('Secure');
  });

  it('is Secure when the request came over https through a proxy', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/chat/session', payload: {}, headers: { 'x-forwarded-proto': 'https' } });
    expect(String(response.headers['set-cookie'])).toContain('Secure');
  });

  it('is kept and renewed, not replaced, when the browser has one', async () => {
    const { cookie, id } = await app.session();
    const again = await app.server.inject({ method: 'POST', url: '/chat/session', payload: {}, headers: { cookie } });
    expect(again.cookies.find((c) => c.name === 'lotse_chat')).toMatchObject({ value: id, maxAge: 86_400 });
  });

  it('replaces a malformed cookie with a new session', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/chat/session', payload: {}, headers: { cookie: 'lotse_chat=../../etc' } });
    expect(response.cookies.find((c) => c.name === 'lotse_chat')?.value).toMatch(/^[0-9a-f]{40}$/);
  });

  it('needs a JSON body, which a form on another site cannot send', async () => {
    const form = await app.server.inject({ method: 'POST', url: '/chat/session', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    const empty = await app.server.inject({ method: 'POST', url: '/chat/session' });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['set-cookie']).toBeUndefined();
  });
});

describe('POST /chat/messages', () => {
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.server.inject({ method: 'POST', url: '/chat/messages', headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

  it('takes the session from the cookie only, and queues the message under it', async () => {
    const { cookie, id } = await app.session();
    const before = app.accepted.length;
    const response = await post({ id: 'm1', text: 'Hello', lang: 'en-GB' }, { cookie });
    expect(response.statusCode).toBe(202);
    expect(String(response.headers['set-cookie'])).toContain(`lotse_chat=${id}`);
    expect(app.accepted.slice(before)).toEqual([expect.objectContaining({ id: `web:${id}:m1`, channel: 'web', userId: id, text: 'Hello', localeHint: 'en-GB' })]);
    expect(app.accepted.at(-1)).not.toHaveProperty('truncated');
  });

  it('refuses a message without a session, and a session id in the body', async () => {
    const before = app.accepted.length;
    const none = await post({ id: 'm1', text: 'Hello' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatch(/reload/);
    const { cookie } = await app.session();
    const inBody = await post({ session: 'a'.repeat(32), id: 'm1', text: 'Hello' }, { cookie });
    expect(inBody.statusCode).toBe(400);
    expect(inBody.json().error).toContain('session');
    expect(app.accepted.length).toBe(before);
  });

  it('answers every malformed body with a short reason and queues nothing', async () => {
    const { cookie } = await app.session();
    const before = app.accepted.length;
    const cases: [unknown, Record<string, string>, number, RegExp][] = [
      ['{not json', {}, 400, /not valid JSON/],
      ['', {}, 400, /empty/],
      [[1, 2], {}, 400, /body/],
      [{ id: 7, text: 'x' }, {}, 400, /^id: /],
      [{ id: 'ok', text: 5 }, {}, 400, /^text: /],
      [{ id: 'ok', text: '   ' }, {}, 400, /write a message/],
      [{ id: 'ok', text: 'x', lang: 'en'.repeat(20) }, {}, 400, /^lang: /],
      [{ id: 'ok', text: 'x' }, { 'content-type': 'application/xml' }, 415, /JSON/],
      [{ id: 'ok', text: 'x'.repeat(70_000) }, {}, 413, /too large/],
    ];
    for (const [payload, headers, status, reason] of cases) {
      const response = await post(payload, { cookie, ...headers });
      expect({ payload: String(payload).slice(0, 40), status: response.statusCode }).toEqual({ payload: String(payload).slice(0, 40), status });
      expect(response.json().error).toMatch(reason);
      expect(response.json().error.length).toBeLessThan(200);
    }
    expect(app.accepted.length).toBe(before);
  });

  it('cuts a long text instead of refusing it, and says so on the message', async () => {
    const { cookie } = await app.session();
    const response = await post({ id: 'long', text: 'Bitte helfen Sie mir. '.repeat(400) }, { cookie });
    expect(response.statusCode).toBe(202);
    const message = app.accepted.at(-1)!;
    expect(message.truncated).toBe(true);
    expect(message.text.length).toBe(MAX_TEXT_LENGTH);
  });
});

describe('when the queue fails', () => {
  it('answers 503 when the queue is unavailable, and 500 (logged, without details) for a fault of ours', async () => {
    let failure: Error = new QueueUnavailableError();
    const failing = await webChatApp({}, { accept: async () => Promise.reject(failure) });
    try {
      const { cookie } = await failing.session();
      const send = () => failing.server.inject({ method: 'POST', url: '/chat/messages', headers: { cookie }, payload: { id: 'm1', text: 'Hello' } });
      const unavailable = await send();
      expect(unavailable.statusCode).toBe(503);
      expect(unavailable.json().error).toMatch(/try again/);
      failure = new Error('bug');
      const broken = await send();
      expect(broken.statusCode).toBe(500);
      expect(broken.json()).toEqual({ error: 'internal error' });
      expect(failing.errorLog.join('')).toContain('http request failed');
    } finally {
      expect(await failing.close()).toEqual([]);
    }
  });
});
