import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkStatus } from '../../src/channels/registry.js';
import type { HandoffService } from '../../src/handoff/handoff-service.js';
import { consoleApp, type ConsoleApp } from '../integration/handoff/console-harness.js';
import { watchedPages, signIn as signInAs } from '../helpers/console-pages.js';
import { launchChromium } from '../helpers/headless-chromium.js';

/** A linking code as whatsapp-web.js gives it (a credential: it must appear nowhere but in the drawn code). */
const QR = '2@Xk3v9Qe7secret-linking-code,AbCdEfGh1234567890=,ZyXwVuTs0987654321=,MnOpQrSt=';
const QR_AGAIN = '2@Yl4w0Rf8another-linking-code,HgFeDcBa0987654321=,StUvWxYz1234567890=,QrStMnOp=';

let status: LinkStatus = { state: 'starting', since: new Date().toISOString() };
const setStatus = (next: Omit<LinkStatus, 'since'>) => void (status = { ...next, since: new Date().toISOString() });

let app: ConsoleApp;
let disabled: ConsoleApp;
let browser: Browser;
let url: string;

beforeAll(async () => {
  app = await consoleApp({}, 'redis', undefined, { whatsappLink: () => status });
  disabled = await consoleApp({}, 'redis');
  for (const each of [app, disabled]) {
    await each.addAdvisor('root', ['general'], ['--admin', '--display', 'Root A.']);
    await each.addAdvisor('amira', ['general'], ['--display', 'Amira B.']);
  }
  url = await app.listen();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  expect(await app?.close()).toEqual([]);
  expect(await disabled?.close()).toEqual([]);
});

/** Script errors and CSP violations on any page fail the test that opened it. */

const newPage = watchedPages(() => browser, { width: 1024, height: 800 });
const signIn = (page: Page, name: string) => signInAs(page, url, name);

const get = (on: ConsoleApp, path: string, cookie?: string) => on.server.inject({ method: 'GET', url: path, headers: cookie ? { cookie } : {} });

describe('the WhatsApp linking page (HTTP)', () => {
  it('shows an admin the code as an inline SVG with the instructions, then that the number is linked', async () => {
    const root = await app.signIn('root');
    setStatus({ state: 'qr', qr: QR });
    const page = await get(app, '/advisor/whatsapp', root.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toMatch(/<div id="link-qr"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(page.body).toContain('On the phone: WhatsApp › Settings › Linked devices › Link a device, then scan this code.');
    expect(page.body).toContain('<script src="/advisor/whatsapp.js" defer></script>');
    expect(page.body).not.toMatch(/<script>|style=/);
    // The code is drawn, never written out.
    expect(page.body).not.toContain('secret-linking-code');

    const api = await get(app, '/advisor/api/whatsapp', root.cookie);
    expect(api.statusCode).toBe(200);
    expect(api.json()).toEqual({ state: 'qr', since: status.since, text: 'Not linked yet: scan the code below.', svg: expect.stringMatching(/^<svg /) });

    setStatus({ state: 'ready' });
    const linked = await get(app, '/advisor/whatsapp', root.cookie);
    expect(linked.statusCode).toBe(200);
    expect(linked.body).toContain('Linked: Lotse sends and receives WhatsApp messages on this number.');
    expect(linked.body).not.toContain('<svg');
    expect((await get(app, '/advisor/api/whatsapp', root.cookie)).json()).toEqual({ state: 'ready', since: status.since, text: 'Linked: Lotse sends and receives WhatsApp messages on this number.' });
    expect(app.logLines.join('')).not.toContain('secret-linking-code');
  });

  it('refuses advisors (403), sends the signed-out to sign in, and tells only admins about the page', async () => {
    setStatus({ state: 'qr', qr: QR });
    const amira = await app.signIn('amira');
    const refused = await get(app, '/advisor/whatsapp', amira.cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.body).toContain('Only admins can link WhatsApp.');
    expect(refused.body).not.toContain('<svg');
    expect((await get(app, '/advisor/api/whatsapp', amira.cookie)).statusCode).toBe(403);

    const signedOut = await get(app, '/advisor/whatsapp');
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/advisor');
    expect((await get(app, '/advisor/api/whatsapp')).statusCode).toBe(401);
    expect((await get(app, '/advisor/api/whatsapp', 'lotse_advisor=made-up')).statusCode).toBe(401);

    expect((await get(app, '/advisor/api/session', amira.cookie)).json()).toMatchObject({ whatsappLink: false });
    expect((await get(app, '/advisor/api/session', (await app.signIn('root')).cookie)).json()).toMatchObject({ whatsappLink: true });
  });

  it('is not there when WhatsApp Web is not enabled (404)', async () => {
    const root = await disabled.signIn('root');
    const page = await get(disabled, '/advisor/whatsapp', root.cookie);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('WhatsApp Web is not enabled.');
    const api = await get(disabled, '/advisor/api/whatsapp', root.cookie);
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: 'WhatsApp Web is not enabled.' });
    expect((await get(disabled, '/advisor/api/session', root.cookie)).json()).toMatchObject({ whatsappLink: false });
  });
});

describe('WhatsApp in the advisor console (headless Chromium)', () => {
  it('an admin follows the header link; the page follows a new code and then shows the number linked', async () => {
    setStatus({ state: 'qr', qr: QR });
    const page = await newPage();
    await signIn(page, 'root');
    await page.getByRole('link', { name: 'Link WhatsApp' }).click();
    await page.getByRole('heading', { name: 'Link WhatsApp' }).waitFor();
    const code = page.locator('#link-qr svg');
    await code.waitFor();
    const first = await code.evaluate((svg) => svg.outerHTML);
    expect(await page.getByRole('status').textContent()).toBe('Not linked yet: scan the code below.');

    // WhatsApp replaces the code: the page draws the new one without a reload.
    setStatus({ state: 'qr', qr: QR_AGAIN });
    await page.waitForFunction((before) => document.querySelector('#link-qr svg')?.outerHTML !== before, first, { timeout: 10_000 });
    expect(await page.locator('#link-code').isVisible()).toBe(true);

    setStatus({ state: 'ready' });
    await page.getByRole('status').filter({ hasText: 'Linked: Lotse sends and receives WhatsApp messages on this number.' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#link-code').isVisible()).toBe(false);
    expect(await page.locator('#link-qr svg').count()).toBe(0);
  });

  it('an advisor has no link to the page', async () => {
    const page = await newPage();
    await signIn(page, 'amira');
    expect(await page.getByRole('link', { name: 'Link WhatsApp' }).isVisible()).toBe(false);
  });

  it('shows the window’s notices in the case’s history and a banner until the user writes again', async () => {
    const c = await app.desk.open({ pool: 'general', channel: 'whatsapp', brief: 'Asks about a work visa.' });
    const handoff = app.handoff as HandoffService;
    const closesAt = new Date(Date.now() + 60 * 60_000).toISOString();
    await handoff.noticeChannel(c.conversationKey, { kind: 'window_closing', closesAt });
    const page = await newPage();
    await signIn(page, 'amira');
    await page.locator(`button.case-open[data-case-id="${c.id}"]`).click();
    const banner = page.locator('#channel-notice');
    await banner.waitFor();
    const time = await page.evaluate((iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), closesAt);
    const closing = `WhatsApp: the 24-hour window for free replies closes at ${time} — reply before then; afterwards only an approved template reaches the user.`;
    expect(await banner.textContent()).toBe(closing);
    expect(await page.locator('#history .event.system', { hasText: closing }).count()).toBe(1);

    // The window closes while the case is open: history and banner follow without a reload.
    await handoff.noticeChannel(c.conversationKey, { kind: 'window_closed', template: false });
    const closed = 'WhatsApp: the 24-hour window has closed. Your replies wait until the user writes again; no template is configured, so the user was not told.';
    await page.locator('#history .event.system', { hasText: closed }).waitFor({ timeout: 10_000 });
    await banner.filter({ hasText: closed }).waitFor();
    expect(await banner.getAttribute('class')).toContain('closed');

    // The user writes: a new window, so the banner goes.
    await app.desk.userSays(c.id, 'Are you still there?');
    await page.locator('#history .event.user', { hasText: 'Are you still there?' }).waitFor({ timeout: 10_000 });
    expect(await banner.isVisible()).toBe(false);
  });
});
