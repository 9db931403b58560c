import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLotse } from '../helpers/running-lotse.js';
import { launchChromium } from '../helpers/headless-chromium.js';

let browser: Browser;
let lotse: Awaited<ReturnType<typeof runLotse>>;

beforeAll(async () => {
  lotse = await runLotse();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await lotse?.cleanup();
});

/** Script errors on any page fail the test that opened it. */
let pageErrors: string[] = [];
afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors).toEqual([]);
});
async function newPage(where: Browser | BrowserContext = browser, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = 'newContext' in where ? await where.newPage(options) : await where.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

const bot = (page: Page) => page.locator('.msg.bot');
async function say(page: Page, text: string) {
  await page.getByLabel('Your message').fill(text);
  await page.keyboard.press('Enter');
}
/** Agrees to the privacy notice, as a person would on first contact. */
async function consent(page: Page) {
  await say(page, 'Hello');
  await bot(page).first().waitFor({ timeout: 20_000 });
  expect(await bot(page).first().textContent()).toContain('Lotse');
  await page.getByRole('button', { name: 'yes' }).click();
  await bot(page).nth(1).waitFor({ timeout: 20_000 });
}

describe('the web chat in headless Chromium', () => {
  it('takes a question typed by a person and shows the answer with its sources as links', async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 800 } });
    await page.goto(`${lotse.url}/chat`);
    await expect(page.getByLabel('Your message').isVisible()).resolves.toBe(true);
    await consent(page);

    await page.getByLabel('Your message').fill('How many points do I need for the Opportunity Card?');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = bot(page).nth(2);
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.textContent()).toMatch(/at least 6 points/i);
    const link = answer.locator('a[href^="https://"]').first();
    expect(await link.getAttribute('href')).toMatch(/^https:\/\//);
    await page.screenshot({ path: 'data/web-chat.png' });
    await page.close();
  });

  it('lays out an Arabic reply right to left', async () => {
    const page = await newPage();
    await page.goto(`${lotse.url}/chat`);
    await say(page, 'كم نقطة أحتاج لبطاقة الفرص؟');
    const reply = bot(page).first();
    await reply.waitFor({ timeout: 20_000 });
    expect(await reply.getAttribute('dir')).toBe('rtl');
    expect(await reply.getAttribute('lang')).toBe('ar');
    await page.close();
  });

  it('keeps the session in an HttpOnly cookie and never in a URL, and the conversation across a reload', async () => {
    const context = await browser.newContext();
    const page = await newPage(context);
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await page.goto(`${lotse.url}/chat`);
    await consent(page);

    const [cookie] = (await context.cookies()).filter((c) => c.name === 'lotse_chat');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/chat', secure: false });
    expect(cookie!.value).toMatch(/^[0-9a-f]{40}$/);
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(86_000);
    expect(await page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toContain(cookie!.value);

    await page.reload();
    await bot(page).nth(1).waitFor({ timeout: 20_000 });
    expect(await page.locator('.msg.bot').count()).toBe(2);
    expect((await context.cookies()).find((c) => c.name === 'lotse_chat')?.value).toBe(cookie!.value);

    expect(urls.length).toBeGreaterThanOrEqual(6);
    expect(urls.filter((url) => url.includes(cookie!.value) || /[?&]session=/.test(url))).toEqual([]);
    expect(new Set(urls.map((url) => new URL(url).pathname))).toEqual(new Set(['/chat', '/chat/session', '/chat/events', '/chat/messages']));
    await context.close();
  });

  it('shows the confirmation and the new privacy notice after "delete", on the open page, without a reload', async () => {
    const page = await newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${lotse.url}/chat`);
    await consent(page);
    await say(page, 'How many points do I need for the Opportunity Card?');
    await bot(page).nth(2).waitFor({ timeout: 20_000 });

    await say(page, 'delete');
    const confirmation = bot(page).nth(3);
    await confirmation.waitFor({ timeout: 20_000 });
    expect(await confirmation.textContent()).toContain('Everything about you has been deleted');
    const notice = bot(page).nth(4);
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain('about your privacy');
    await expect(notice.getByRole('button', { name: 'yes' }).isVisible()).resolves.toBe(true);
    await expect(notice.getByRole('button', { name: 'no' }).isVisible()).resolves.toBe(true);
    expect(loads).toBe(1);

    // And the fresh start works: agreeing again is answered on the same page.
    await notice.getByRole('button', { name: 'yes' }).click();
    await bot(page).nth(5).waitFor({ timeout: 20_000 });
    expect(loads).toBe(1);
    await page.close();
  });

  it('tells the person politely when a message was refused, and keeps the text to send again', async () => {
    const page = await newPage();
    await page.route('**/chat/messages', (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', headers: { 'retry-after': '40' }, body: JSON.stringify({ error: 'You are sending messages faster than Lotse can read them. Please wait 40 seconds and send again.' }) }),
    );
    await page.goto(`${lotse.url}/chat`);
    await say(page, 'Hello again');
    const status = page.getByRole('status').last();
    await status.waitFor();
    expect(await status.textContent()).toBe('Not sent. You are sending messages faster than Lotse can read them. Please wait 40 seconds and send again.');
    expect(await page.getByLabel('Your message').inputValue()).toBe('Hello again');
    await page.close();
  });

  it('tells a fourth window of the same browser why it gets no replies', async () => {
    const context = await browser.newContext();
    const pages = [];
    for (let i = 0; i < 3; i++) {
      const page = await newPage(context);
      const events = page.waitForResponse((response) => response.url().endsWith('/chat/events'));
      await page.goto(`${lotse.url}/chat`);
      expect((await events).status()).toBe(200);
      pages.push(page);
    }
    const fourth = await newPage(context);
    await fourth.goto(`${lotse.url}/chat`);
    await fourth.getByText('Lotse is open in too many windows of this browser').waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('rejects bad input with a clear error', async () => {
    const post = (body: string, headers: Record<string, string> = {}) => fetch(`${lotse.url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const noSession = await post(JSON.stringify({ id: '1', text: 'hi' }));
    expect(noSession.status).toBe(401);
    expect((await noSession.json()).error).toContain('reload');

    const issued = await fetch(`${lotse.url}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = issued.headers.getSetCookie()[0]!.split(';')[0]!;
    const badId = await post(JSON.stringify({ id: 'no spaces', text: 'hi' }), { cookie });
    expect(badId.status).toBe(400);
    expect((await badId.json()).error).toContain('id');
    const broken = await post('{not json', { cookie });
    expect(broken.status).toBe(400);
    const huge = await post(JSON.stringify({ id: '1', text: 'x'.repeat(100_000) }), { cookie });
    expect(huge.status).toBe(413);
    const long = await post(JSON.stringify({ id: '2', text: 'x'.repeat(5_000) }), { cookie });
    expect(long.status).toBe(202);
  });
});
