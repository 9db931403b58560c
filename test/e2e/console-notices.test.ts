import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAdvisorCommand } from '../../src/handoff/advisors/console/account-commands.js';
import { signIn, watchedPages } from '../helpers/console-pages.js';
import { launchChromium } from '../helpers/headless-chromium.js';
import { runLotse } from '../helpers/running-lotse.js';
import { PASSWORD } from '../integration/handoff/console-harness.js';

let lotse: Awaited<ReturnType<typeof runLotse>>;
let redis: Redis;
let browser: Browser;
let url: string;

beforeAll(async () => {
  // The gateway alone: the page and its API (nothing is sent without a sender).
  lotse = await runLotse({}, { gateway: true, worker: false, sender: false });
  url = lotse.url!;
  redis = new Redis(inject('redisUrl'));
  for (const account of [['amira', '--staff', '--display', 'Amira B.'], ['dren', '--display', 'Dren K.'], ['root', '--admin']]) {
    await runAdvisorCommand(['add', account[0]!, '--pools', 'default', '--password-stdin', ...account.slice(1)], { redis, prefix: lotse.keyPrefix, readPassword: async () => PASSWORD, out: () => undefined });
  }
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await redis?.quit();
  await lotse?.cleanup();
});

/** Script errors and CSP violations on any page fail the test that opened it. */
const newPage = watchedPages(() => browser);

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('the event notices page in headless Chromium', () => {
  it('staff fill in the form (refusals shown beside their fields), see the notice listed, and cancel it', async () => {
    const page = await newPage({ width: 390, height: 900 });
    await signIn(page, url, 'amira');
    await page.getByRole('link', { name: 'Event notices' }).click();
    await page.getByRole('heading', { name: 'Event notices' }).waitFor();
    // The browser's own time zone is filled in.
    expect(await page.getByLabel('Time zone').inputValue()).toMatch(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/);

    // Mistakes first: each is shown beside its field.
    await page.getByLabel('Link to details and registration').fill('http://example.org/fair');
    await page.getByLabel('Date').fill(tomorrow());
    await page.getByLabel('Time', { exact: true }).fill('14:30');
    await page.getByRole('button', { name: 'Announce' }).click();
    await page.locator('#notice-title-error').filter({ hasText: 'Give the event a title.' }).waitFor();
    expect(await page.locator('#notice-link-error').textContent()).toBe('The link must start with https://.');
    expect(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').filter({ hasText: 'Please correct the fields marked.' }).count()).toBe(1);

    await page.getByLabel('Title', { exact: true }).fill('Virtual job fair: nursing in Germany');
    await page.getByText('Title in other languages (optional)').click();
    await page.getByRole('textbox', { name: /^German/ }).fill('Virtuelle Jobmesse: Pflege in Deutschland');
    await page.getByLabel('Time zone').fill('Africa/Accra');
    await page.getByLabel('Link to details and registration').fill('https://www.example.org/fair');
    await page.getByLabel('All countries').uncheck();
    await page.getByLabel('Country codes').fill('GH, ng');
    await page.getByLabel('All languages').uncheck();
    await page.getByRole('checkbox', { name: /^English/ }).check();
    await page.getByRole('checkbox', { name: /^French/ }).check();
    await page.getByLabel('Returnees (have come back)').check();
    await page.getByRole('button', { name: 'Announce' }).click();
    await page.getByRole('status').filter({ hasText: 'Announced: Virtual job fair: nursing in Germany' }).waitFor();
    const item = page.locator('#notices-upcoming li.notice').filter({ hasText: 'Virtual job fair: nursing in Germany' });
    await item.waitFor();
    const shown = await item.textContent();
    expect(shown).toContain('2:30 PM Greenwich Mean Time');
    expect(shown).toContain('GH, NG · en, fr · returnees · by amira');
    expect(shown).toMatch(/Announcement: queued/);
    expect(shown).toMatch(/Reminder: scheduled/);
    expect(await page.locator('#notice-title-error').textContent()).toBe('');
    await page.screenshot({ path: 'data/event-notices-phone.png', fullPage: true });
    // The page fits a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await item.getByRole('button', { name: 'Cancel this notice' }).click();
    await item.getByText('Cancelled', { exact: true }).waitFor();
    expect(await item.textContent()).toMatch(/Reminder: cancelled/);
    // Those the notice reached are told; the page says so and counts that sending too.
    expect(await item.textContent()).toMatch(/Cancellation message: (queued|sending|done)/);
    expect(await page.locator('#notice-status').textContent()).toContain('Everyone it reached is being told that it will not take place.');
    expect(await item.getByRole('button', { name: 'Cancel this notice' }).count()).toBe(0);
    await page.screenshot({ path: 'data/event-notices-cancelled.png', fullPage: true });
  });

  it('advisors are refused (403) and not offered the page; the signed-out are sent to sign in', async () => {
    const page = await newPage({ width: 1024, height: 800 });
    await signIn(page, url, 'dren');
    expect(await page.getByRole('link', { name: 'Event notices' }).count()).toBe(0);
    const refused = await page.goto(`${url}/advisor/notices`);
    expect(refused?.status()).toBe(403);
    expect(await page.getByRole('heading', { name: 'Not allowed' }).count()).toBe(1);
    expect(await page.textContent('body')).toContain('Only programme staff and admins can announce event notices.');
    const api = await page.evaluate(async () => (await fetch('/advisor/api/notices')).status);
    expect(api).toBe(403);

    const anonymous = await fetch(`${url}/advisor/notices`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/advisor');
    expect((await fetch(`${url}/advisor/api/notices`)).status).toBe(401);

    // Admins may announce too.
    const admin = await newPage({ width: 1024, height: 800 });
    await signIn(admin, url, 'root');
    await admin.getByRole('link', { name: 'Event notices' }).click();
    await admin.getByRole('heading', { name: 'Upcoming' }).waitFor();
  });
});
