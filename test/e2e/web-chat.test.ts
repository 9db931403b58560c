import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLotse } from '../helpers/running-lotse.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;
let lotse: Awaited<ReturnType<typeof runLotse>>;

beforeAll(async () => {
  lotse = await runLotse();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await lotse?.stop();
});

describe('the web chat in headless Chromium', () => {
  it('takes a question typed by a person and shows the answer with its sources as links', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${lotse.url}/chat`);
    await expect(page.getByLabel('Your message').isVisible()).resolves.toBe(true);

    await page.getByLabel('Your message').fill('Hello');
    await page.keyboard.press('Enter');
    const notice = page.locator('.msg.bot').first();
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain('Lotse');
    await page.getByRole('button', { name: 'yes' }).click();
    await page.locator('.msg.bot').nth(1).waitFor({ timeout: 20_000 });

    await page.getByLabel('Your message').fill('How many points do I need for the Opportunity Card?');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('.msg.bot').nth(2);
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.textContent()).toMatch(/at least 6 points/i);
    const link = answer.locator('a[href^="https://"]').first();
    expect(await link.getAttribute('href')).toMatch(/^https:\/\//);
    await page.screenshot({ path: 'data/web-chat.png' });
    await page.close();
  });

  it('lays out an Arabic reply right to left', async () => {
    const page = await browser.newPage();
    await page.goto(`${lotse.url}/chat`);
    await page.getByLabel('Your message').fill('كم نقطة أحتاج لبطاقة الفرص؟');
    await page.keyboard.press('Enter');
    const reply = page.locator('.msg.bot').first();
    await reply.waitFor({ timeout: 20_000 });
    expect(await reply.getAttribute('dir')).toBe('rtl');
    expect(await reply.getAttribute('lang')).toBe('ar');
    await page.close();
  });

  it('rejects bad input with a clear error', async () => {
    const post = (body: unknown) => fetch(`${lotse.url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const tooShort = await post({ session: 'x', id: '1', text: 'hi' });
    expect(tooShort.status).toBe(400);
    expect((await tooShort.json()).error).toContain('session');
    const tooLong = await post({ session: 'a'.repeat(20), id: '1', text: 'x'.repeat(2001) });
    expect((await tooLong.json()).error).toContain('at most 2000');
    const broken = await fetch(`${lotse.url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(broken.status).toBe(400);
  });
});
