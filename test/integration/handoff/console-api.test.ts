import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../src/core/case.js';
import { PASSWORD, consoleApp, openUpdates, type Backend, type ConsoleApp } from './console-harness.js';

const HOUR = 3_600_000;
const BACKENDS: Backend[] = ['redis', 'memory'];

/** The same checks on the real HandoffService on Redis and on its in-memory twin. */
describe.each(BACKENDS)('the advisor console API on the %s handoff', (backend) => {
  /** The console's clock runs this far ahead of the real one (the idle-expiry test moves it). */
  let offset = 0;
  let app: ConsoleApp;
  let amira: Awaited<ReturnType<ConsoleApp['signIn']>>;
  let samir: Awaited<ReturnType<ConsoleApp['signIn']>>;
  let dren: Awaited<ReturnType<ConsoleApp['signIn']>>;

  beforeAll(async () => {
    app = await consoleApp({ heartbeatMs: 150, now: () => Date.now() + offset }, backend);
    await app.addAdvisor('amira', ['tunis'], ['--display', 'Amira B.', '--woman']);
    await app.addAdvisor('samir', ['tunis', 'general']);
    await app.addAdvisor('dren', ['pristina']);
    [amira, samir, dren] = [await app.signIn('amira'), await app.signIn('samir'), await app.signIn('dren')];
  });
  afterAll(async () => {
    expect(await app?.close()).toEqual([]);
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.server.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.server.inject({ method: 'POST', url, payload: payload as string, headers });
  const caseUrl = (c: Pick<Case, 'id'>, action = '') => `/advisor/api/cases/${c.id}${action ? `/${action}` : ''}`;

  describe('hand-over to a colleague', () => {
    it('the holder hands the case to a colleague of its pool, who then holds it; nobody else, and no one outside the pool', async () => {
      const c = await app.desk.open({ pool: 'tunis' });
      const claimed = await post(caseUrl(c, 'claim'), {}, amira.headers);
      expect(claimed.statusCode, claimed.body).toBe(200);
      const colleagues = await get(caseUrl(c, 'colleagues'), { cookie: amira.cookie });
      expect(colleagues.json()).toEqual({ colleagues: [{ name: 'samir', displayName: 'samir' }] });
      expect((await post(caseUrl(c, 'hand-over'), { to: 'dren' }, amira.headers)).statusCode).toBe(400);
      expect((await post(caseUrl(c, 'hand-over'), { to: 'amira' }, samir.headers)).statusCode).not.toBe(200);
      const handed = await post(caseUrl(c, 'hand-over'), { to: 'samir' }, amira.headers);
      expect(handed.statusCode).toBe(200);
      expect((await app.handoff.get(c.id))!.claimedBy).toMatchObject({ id: 'samir', via: 'console' });
      expect((await post(caseUrl(c, 'reply'), { text: 'Samir here.', messageId: 'handover-1' }, samir.headers)).statusCode).toBe(200);
      expect((await post(caseUrl(c, 'reply'), { text: 'Still Amira?', messageId: 'handover-2' }, amira.headers)).statusCode).not.toBe(200);
      expect((await get(caseUrl(c, 'colleagues'), { cookie: dren.cookie })).statusCode).toBe(403);
    });
  });

  describe('the console page and its headers', () => {
    it('serves the page, its script and its styles with a strict CSP and no caching of data', async () => {
      for (const [url, type] of [
        ['/advisor', 'text/html'],
        ['/advisor/console.js', 'text/javascript'],
        ['/advisor/console.css', 'text/css'],
      ] as const) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type']).toContain(type);
        expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'/);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('DENY');
      }
      const api = await get('/advisor/api/cases', { cookie: amira.cookie });
      expect(api.headers['cache-control']).toBe('no-store');
      expect(api.headers['content-security-policy']).toBeDefined();
    });

    it('answers 401 to every API call without a session', async () => {
      const c = await app.desk.open({ pool: 'tunis' });
      for (const url of ['/advisor/api/session', '/advisor/api/cases', caseUrl(c), `${caseUrl(c)}/events`, '/advisor/api/updates']) {
        expect((await get(url)).statusCode, url).toBe(401);
        expect((await get(url, { cookie: 'lotse_advisor=made-up' })).statusCode, url).toBe(401);
      }
      const refused = await post(caseUrl(c, 'claim'), {});
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ error: 'Your session has ended. Please sign in again.' });
    });
  });

  describe('signing in', () => {
    it('sets an HttpOnly, SameSite=Strict cookie for /advisor only and answers with the advisor and a CSRF token', async () => {
      const response = await post('/advisor/api/sign-in', { name: 'Amira', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((c) => c.name === 'lotse_advisor')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/advisor', maxAge: 86_400 });
      expect(cookie.secure).toBeUndefined();
      const body = response.json();
      expect(body).toMatchObject({
        advisor: { name: 'amira', displayName: 'Amira B.', role: 'advisor', woman: true, pools: [{ id: 'tunis', name: 'Tunis team' }] },
        pools: [{ id: 'tunis' }, { id: 'pristina' }, { id: 'general' }],
        outcomes: ['answered', 'referred', 'no_show', 'other'],
      });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(response.body).not.toMatch(/argon2|passwordHash/);
      expect(response.body).not.toContain(cookie.value);
      const secure = await app.server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: { name: 'amira', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
      expect(secure.cookies.find((c) => c.name === 'lotse_advisor')!.secure).toBe(true);
    });

    it('gives the same answer for a wrong password and an unknown name, and logs neither name nor password', async () => {
      const wrong = await post('/advisor/api/sign-in', { name: 'amira', password: 'not the password' });
      const unknown = await post('/advisor/api/sign-in', { name: 'nobody', password: 'not the password' });
      expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
      expect(wrong.json()).toEqual({ error: 'The name or the password is wrong.' });
      expect(unknown.json()).toEqual(wrong.json());
      expect(wrong.cookies).toEqual([]);
      const logs = app.logLines.join('\n');
      expect(logs).toContain('advisor console sign-in failed');
      expect(logs).not.toMatch(/amira|nobody|not the password|correct horse/);
    });

    it('gives a new session at every sign-in and ends the one the browser came with', async () => {
      const first = await app.signIn('samir');
      const again = await app.server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: { name: 'samir', password: PASSWORD }, headers: { cookie: first.cookie } });
      const second = again.cookies.find((c) => c.name === 'lotse_advisor')!.value;
      expect(`lotse_advisor=${second}`).not.toBe(first.cookie);
      expect((await get('/advisor/api/session', { cookie: first.cookie })).statusCode).toBe(401);
      expect((await get('/advisor/api/session', { cookie: `lotse_advisor=${second}` })).statusCode).toBe(200);
    });

    it('refuses sign-in requests marked cross-site, and bodies that are not the JSON it expects', async () => {
      expect((await post('/advisor/api/sign-in', { name: 'amira', password: PASSWORD }, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      const form = await app.server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: 'name=amira&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form.statusCode).toBe(415);
      const text = await app.server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: '{"name":"amira","password":"x"}', headers: { 'content-type': 'text/plain' } });
      expect(text.statusCode).toBe(400);
      expect((await post('/advisor/api/sign-in', { name: 'amira', password: PASSWORD, remember: true })).json().error).toMatch(/Unrecognized key/i);
    });
  });

  describe('CSRF protection', () => {
    it('refuses a change without the session’s token, with another session’s, or marked cross-site', async () => {
      const c = await app.desk.open({ pool: 'tunis' });
      const attempts: Record<string, string>[] = [
        { cookie: amira.cookie },
        { cookie: amira.cookie, 'x-csrf-token': '' },
        { cookie: amira.cookie, 'x-csrf-token': samir.csrf },
        { cookie: amira.cookie, 'x-csrf-token': `${amira.csrf}x` },
        { ...amira.headers, 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of attempts) {
        const response = await post(caseUrl(c, 'claim'), {}, headers);
        expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      }
      expect((await app.handoff.get(c.id))!.status).toBe('open');
      const claimed = await post(caseUrl(c, 'claim'), {}, { ...amira.headers, 'sec-fetch-site': 'same-origin' });
      expect(claimed.statusCode).toBe(200);
      expect(claimed.json().case).toMatchObject({ status: 'claimed', claimedBy: { id: 'amira', name: 'Amira B.', via: 'console' } });
      expect((await post(caseUrl(c, 'resolve'), { outcome: 'other' }, amira.headers)).statusCode).toBe(200);
    });
  });

  describe('pools: an advisor sees and acts on their own pools’ cases only', () => {
    let tunisCase: Case;
    let pristinaCase: Case;
    beforeAll(async () => {
      tunisCase = await app.desk.open({ pool: 'tunis', language: 'ar', country: 'TN', reason: 'sensitive', brief: 'Visa refused; asks about an appeal.' });
      pristinaCase = await app.desk.open({ pool: 'pristina', language: 'sq', country: 'XK', brief: 'Asks about the Western Balkans rule.' });
    });

    it('lists only the cases of the advisor’s pools, most urgent first, without the user’s address', async () => {
      await app.desk.open({ pool: 'tunis', reason: 'safety', brief: 'Urgent.' });
      const listed = (await get('/advisor/api/cases', { cookie: amira.cookie })).json().cases as Record<string, unknown>[];
      expect(listed.every((c) => c.pool === 'tunis')).toBe(true);
      expect(listed.map((c) => c.id)).toContain(tunisCase.id);
      expect(listed.map((c) => c.id)).not.toContain(pristinaCase.id);
      expect(listed[0]!.priority).toBe('urgent');
      expect(listed[0]).not.toHaveProperty('userId');
      expect(listed[0]).not.toHaveProperty('conversationKey');
      const drens = (await get('/advisor/api/cases', { cookie: dren.cookie })).json().cases as { id: string }[];
      expect(drens.map((c) => c.id)).toEqual([pristinaCase.id]);
      const samirs = (await get('/advisor/api/cases', { cookie: samir.cookie })).json().cases as { pool: string }[];
      expect(new Set(samirs.map((c) => c.pool))).toEqual(new Set(['tunis']));
    });

    it('shows a case of the advisor’s pool with its brief and history', async () => {
      await app.desk.userSays(tunisCase.id, 'هل يمكنني الطعن في القرار؟');
      const response = await get(caseUrl(tunisCase), { cookie: amira.cookie });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.case).toMatchObject({ id: tunisCase.id, language: 'ar', country: 'TN', reason: 'sensitive', priority: 'high', status: 'open', brief: 'Visa refused; asks about an appeal.' });
      expect(body.events.map((e: { type: string }) => e.type)).toEqual(['opened', 'user_message']);
      const after = await get(`${caseUrl(tunisCase)}/events?after=${body.events[0].id}`, { cookie: amira.cookie });
      expect(after.json().events.map((e: { text?: string }) => e.text)).toEqual(['هل يمكنني الطعن في القرار؟']);
    });

    it('answers 403 to reading another pool’s case or its events, and 404 to no case', async () => {
      for (const url of [caseUrl(pristinaCase), `${caseUrl(pristinaCase)}/events`]) {
        const response = await get(url, { cookie: amira.cookie });
        expect(response.statusCode, url).toBe(403);
        expect(response.json()).toEqual({ error: 'This case is not in your pools.' });
        expect(response.body).not.toContain('Balkans');
      }
      expect((await get('/advisor/api/cases/no-such-case', { cookie: amira.cookie })).statusCode).toBe(404);
    });

    it('answers 403 to every action on another pool’s case, with a valid session and CSRF token, and changes nothing', async () => {
      const actions: [string, unknown][] = [
        ['claim', {}],
        ['release', {}],
        ['transfer', { toPool: 'tunis' }],
        ['resolve', { outcome: 'answered' }],
        ['reply', { text: 'Hello', messageId: 'abcdefgh-1' }],
      ];
      for (const [action, body] of actions) {
        const response = await post(caseUrl(pristinaCase, action), body, amira.headers);
        expect(response.statusCode, action).toBe(403);
        expect(response.json()).toEqual({ error: 'This case is not in your pools.' });
      }
      expect(await app.handoff.get(pristinaCase.id)).toMatchObject({ status: 'open', pool: 'pristina' });
      expect((await app.handoff.events(pristinaCase.id)).map((e) => e.type)).toEqual(['opened']);
      expect(app.desk.delivered.filter((d) => d.caseId === pristinaCase.id)).toEqual([]);
    });

    it('takes an account’s new pools at its next request', async () => {
      await app.addAdvisor('dren', ['pristina', 'tunis'], ['--replace']);
      const again = await app.signIn('dren');
      expect((await get(caseUrl(tunisCase), { cookie: again.cookie })).statusCode).toBe(200);
      await app.addAdvisor('dren', ['pristina'], ['--replace']);
      expect((await get(caseUrl(tunisCase), { cookie: again.cookie })).statusCode).toBe(401); // its sessions ended with the change
      dren = await app.signIn('dren');
      expect((await get(caseUrl(tunisCase), { cookie: dren.cookie })).statusCode).toBe(403);
    });
  });

  describe('claim, reply, transfer, resolve', () => {
    it('lets one advisor claim, tells the other who has it, and takes replies from the holder only, once per message id', async () => {
      const c = await app.desk.open({ pool: 'tunis', language: 'ar' });
      const [first, second] = await Promise.all([post(caseUrl(c, 'claim'), {}, amira.headers), post(caseUrl(c, 'claim'), {}, samir.headers)]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
      const [winner, loser] = first.statusCode === 200 ? [amira, samir] : [samir, amira];
      const winnerName = winner === amira ? 'Amira B.' : 'samir';
      expect((first.statusCode === 409 ? first : second).json()).toEqual({ error: `${winnerName} has this case.` });

      expect((await post(caseUrl(c, 'reply'), { text: 'I can help.', messageId: 'message-0001' }, loser.headers)).statusCode).toBe(409);
      const reply = { text: '  مرحبا، أنا هنا لمساعدتك.  ', messageId: 'message-0001' };
      expect((await post(caseUrl(c, 'reply'), reply, winner.headers)).statusCode).toBe(200);
      expect((await post(caseUrl(c, 'reply'), reply, winner.headers)).statusCode).toBe(200);
      expect(app.desk.delivered.filter((d) => d.caseId === c.id).map((d) => d.text)).toEqual(['مرحبا، أنا هنا لمساعدتك.']);

      const resolved = await post(caseUrl(c, 'resolve'), { outcome: 'referred' }, winner.headers);
      expect(resolved.json().case).toMatchObject({ status: 'resolved', outcome: 'referred' });
      const late = await post(caseUrl(c, 'reply'), { text: 'One more thing', messageId: 'message-0002' }, winner.headers);
      expect(late.statusCode).toBe(409);
      expect(late.json()).toEqual({ error: 'This case is closed.' });
      const events = (await get(caseUrl(c), { cookie: winner.cookie })).json().events as { type: string }[];
      expect(events.map((e) => e.type)).toEqual(['opened', 'claimed', 'advisor_message', 'resolved']);
      expect((await get('/advisor/api/cases', { cookie: winner.cookie })).json().cases.map((x: { id: string }) => x.id)).not.toContain(c.id);
    });

    it('releases a held case back to the queue; a reply then needs a claim', async () => {
      const c = await app.desk.open({ pool: 'tunis' });
      await post(caseUrl(c, 'claim'), {}, amira.headers);
      const released = await post(caseUrl(c, 'release'), {}, amira.headers);
      expect(released.json().case).toMatchObject({ status: 'open' });
      expect(released.json().case.claimedBy).toBeUndefined();
      const reply = await post(caseUrl(c, 'reply'), { text: 'Hello', messageId: 'message-0003' }, amira.headers);
      expect(reply.statusCode).toBe(409);
      expect(reply.json()).toEqual({ error: 'Claim the case first.' });
    });

    it('transfers a case to another pool, whose advisors then have it, and refuses a pool that does not exist', async () => {
      const c = await app.desk.open({ pool: 'tunis', language: 'sq' });
      expect((await post(caseUrl(c, 'transfer'), { toPool: 'nowhere' }, amira.headers)).json()).toEqual({ error: 'toPool: no pool "nowhere"' });
      const moved = await post(caseUrl(c, 'transfer'), { toPool: 'pristina' }, amira.headers);
      expect(moved.statusCode).toBe(200);
      expect(moved.json().case).toMatchObject({ pool: 'pristina', status: 'open' });
      expect((await get(caseUrl(c), { cookie: amira.cookie })).statusCode).toBe(403);
      expect((await get('/advisor/api/cases', { cookie: dren.cookie })).json().cases.map((x: { id: string }) => x.id)).toContain(c.id);
      expect((await post(caseUrl(c, 'claim'), {}, dren.headers)).statusCode).toBe(200);
    });
  });

  describe('bodies are validated: a short reason, never a 500', () => {
    it('answers 400 (or 413/415) to malformed, mistyped, unknown or oversized input', async () => {
      const c = await app.desk.open({ pool: 'tunis' });
      await post(caseUrl(c, 'claim'), {}, amira.headers);
      const json = { ...amira.headers, 'content-type': 'application/json' };
      const cases: [string, unknown, number, RegExp?][] = [
        [caseUrl(c, 'reply'), {}, 400, /text: /],
        [caseUrl(c, 'reply'), { text: '   ', messageId: 'message-0009' }, 400, /text: write a reply/],
        [caseUrl(c, 'reply'), { text: 'x'.repeat(4001), messageId: 'message-0009' }, 400, /at most 4000/],
        [caseUrl(c, 'reply'), { text: 'Hi', messageId: '../../etc' }, 400, /messageId/],
        [caseUrl(c, 'reply'), { text: 42, messageId: 'message-0009' }, 400],
        [caseUrl(c, 'reply'), [], 400],
        [caseUrl(c, 'reply'), 'null', 400],
        [caseUrl(c, 'resolve'), { outcome: 'great' }, 400, /outcome: one of answered, referred, no_show, other/],
        [caseUrl(c, 'resolve'), {}, 400],
        [caseUrl(c, 'transfer'), { toPool: 'Tunis Team' }, 400, /toPool/],
        [caseUrl(c, 'claim'), { force: true }, 400, /Unrecognized key/i],
        [caseUrl(c, 'claim'), '{"broken":', 400, /not valid JSON/],
        [caseUrl(c, 'reply'), JSON.stringify({ text: 'x'.repeat(40_000), messageId: 'message-0009' }), 413],
        ['/advisor/api/cases/has%20space/claim', {}, 400, /not a case id/],
        ['/advisor/api/sign-in', { name: 'amira' }, 400, /password/],
        ['/advisor/api/sign-in', { name: 'x'.repeat(41), password: 'y' }, 400, /name/],
      ];
      for (const [url, payload, status, reason] of cases) {
        const response = await app.server.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: json });
        expect(response.statusCode, `${url} ${String(payload).slice(0, 40)}`).toBe(status);
        expect(typeof response.json().error).toBe('string');
        if (reason) expect(response.json().error).toMatch(reason);
      }
      const noJson = await app.server.inject({ method: 'POST', url: caseUrl(c, 'claim'), payload: '<xml/>', headers: { ...amira.headers, 'content-type': 'application/xml' } });
      expect(noJson.statusCode).toBe(415);
      expect((await get(`${caseUrl(c)}/events?after=drop-table`, { cookie: amira.cookie })).statusCode).toBe(400);
      expect((await get(`${caseUrl(c)}/events?after=1-0&extra=1`, { cookie: amira.cookie })).statusCode).toBe(400);
      expect((await app.handoff.get(c.id))!.status).toBe('claimed');
    });
  });

  describe('live updates (server-sent events from the Redis channel)', () => {
    it('tells an advisor of new events in their pools by id, other pools only by case id, and never what was said', async () => {
      const url = await app.listen();
      const stream = openUpdates(url, { cookie: amira.cookie });
      const opened = await stream.status;
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toContain('text/event-stream');
      expect(opened.headers.get('content-security-policy')).toContain("default-src 'none'");
      await stream.waitFor((events) => events.some((e) => e.event === 'ready'));

      const mine = await app.desk.open({ pool: 'tunis' });
      const other = await app.desk.open({ pool: 'pristina' });
      await app.desk.userSays(mine.id, 'A secret only the case view may show');
      await stream.waitFor((events) => events.filter((e) => e.event === 'case').length >= 2 && events.some((e) => e.event === 'elsewhere'));
      const cases = stream.events.filter((e) => e.event === 'case').map((e) => JSON.parse(e.data) as Record<string, string>);
      expect(cases.every((n) => n.caseId === mine.id && n.pool === 'tunis' && /^\d+-\d+$/.test(n.eventId ?? ''))).toBe(true);
      expect(stream.events.filter((e) => e.event === 'elsewhere').map((e) => JSON.parse(e.data))).toEqual([{ caseId: other.id }]);
      expect(JSON.stringify(stream.events)).not.toContain('secret');
      stream.close();
    });

    it('ends the stream at sign-out, and says signed-out when the account is removed', async () => {
      const url = await app.listen();
      const session = await app.signIn('samir');
      const first = openUpdates(url, { cookie: session.cookie });
      await first.waitFor((events) => events.some((e) => e.event === 'ready'));
      expect((await post('/advisor/api/sign-out', {}, session.headers)).statusCode).toBe(204);
      await first.ended;

      await app.addAdvisor('leaving', ['general']);
      const leaving = await app.signIn('leaving');
      const second = openUpdates(url, { cookie: leaving.cookie });
      await second.waitFor((events) => events.some((e) => e.event === 'ready'));
      await app.redis.del(`${app.prefix}console:account:leaving`);
      await second.waitFor((events) => events.some((e) => e.event === 'signed-out'));
      await second.ended;
    });
  });

  describe('session end', () => {
    it('signs out: the cookie is cleared and the session refused; sign-out needs the CSRF token', async () => {
      const session = await app.signIn('samir');
      expect((await post('/advisor/api/sign-out', {}, { cookie: session.cookie })).statusCode).toBe(403);
      const out = await post('/advisor/api/sign-out', {}, session.headers);
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === 'lotse_advisor')).toMatchObject({ value: '', path: '/advisor' });
      expect((await get('/advisor/api/cases', { cookie: session.cookie })).statusCode).toBe(401);
    });

    it('ends a session after 8 idle hours; automatic refreshes do not count as activity', async () => {
      const active = await app.signIn('samir');
      const idle = await app.signIn('samir');
      for (let hours = 2; hours <= 8; hours += 2) {
        offset = (hours - 0.01) * HOUR;
        expect((await get('/advisor/api/cases', { cookie: active.cookie })).statusCode, `${hours} h`).toBe(200);
        expect((await get('/advisor/api/cases', { cookie: idle.cookie, 'x-console-auto': '1' })).statusCode, `${hours} h`).toBe(200);
      }
      offset = 8.01 * HOUR;
      expect((await get('/advisor/api/cases', { cookie: idle.cookie, 'x-console-auto': '1' })).statusCode).toBe(401);
      expect((await get('/advisor/api/cases', { cookie: active.cookie })).statusCode).toBe(200);
      offset = 0;
    });

    it('ends a removed advisor’s sessions at once', async () => {
      await app.addAdvisor('temp', ['general']);
      const session = await app.signIn('temp');
      expect((await get('/advisor/api/session', { cookie: session.cookie })).statusCode).toBe(200);
      await app.addAdvisor('temp', ['general'], ['--replace'], 'another password 3');
      expect((await get('/advisor/api/session', { cookie: session.cookie })).statusCode).toBe(401);
    });
  });

  describe('sign-in limits', () => {
    it('refuses further attempts on one account, then from one address, for the window, even with the right password', async () => {
      const limited = await consoleApp({ signInLimits: { perAccount: 3, perAddress: 6, windowMs: 1_500 } }, backend);
      try {
        await limited.addAdvisor('amira', ['tunis']);
        await limited.addAdvisor('dren', ['pristina']);
        const attempt = (name: string, password: string, remoteAddress: string) =>
          limited.server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: { name, password }, remoteAddress });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await attempt('amira', 'wrong password!', '10.0.0.1')).statusCode);
        const blocked = await attempt('amira', PASSWORD, '10.0.0.2');
        expect([...statuses, blocked.statusCode]).toEqual([401, 401, 401, 429]);
        expect(blocked.json().error).toMatch(/^Too many sign-in attempts\. Please wait 1 minute\.$/);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        expect((await attempt('dren', PASSWORD, '10.0.0.1')).statusCode).toBe(200);

        const fromOne = [];
        for (const name of ['a1', 'a2', 'a3']) fromOne.push((await attempt(name, 'wrong password!', '10.0.0.1')).statusCode);
        expect(fromOne).toEqual([401, 401, 429]);
        expect((await attempt('dren', PASSWORD, '10.0.0.1')).statusCode).toBe(429);
        expect((await attempt('dren', PASSWORD, '10.0.0.3')).statusCode).toBe(200);

        await new Promise((resolve) => setTimeout(resolve, 1_600));
        expect((await attempt('amira', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
        expect(limited.logLines.join('\n')).not.toMatch(/10\.0\.0|amira|dren/);
      } finally {
        expect(await limited.close()).toEqual([]);
      }
    });
  });
});
