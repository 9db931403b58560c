import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/case.js';
import { PASSWORD, consoleApp, type ConsoleApp } from '../integration/handoff/console-harness.js';
import { watchedPages, signIn as signInAs } from '../helpers/console-pages.js';
import { launchChromium } from '../helpers/headless-chromium.js';

let browser: Browser;
let app: ConsoleApp;
let url: string;
let tunisCase: Case;
let pristinaCase: Case;

beforeAll(async () => {
  // A stand-in for the LLM translator: the console shows the other side's language beside the original.
  app = await consoleApp({}, 'redis', { translate: async (text, to) => `[${to}] ${text}` });
  url = await app.listen();
  await app.addAdvisor('amira', ['tunis'], ['--display', 'Amira B.']);
  await app.addAdvisor('dren', ['pristina'], ['--display', 'Dren K.']);
  tunisCase = await app.desk.open({ pool: 'tunis', language: 'ar', country: 'TN', reason: 'sensitive', brief: 'Visa for vocational training refused; asks whether to appeal.' });
  await app.desk.userSays(tunisCase.id, 'هل يمكنني الطعن في قرار رفض التأشيرة؟');
  pristinaCase = await app.desk.open({ pool: 'pristina', language: 'sq', country: 'XK', brief: 'Asks about the Western Balkans regulation quota.' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  expect(await app?.close()).toEqual([]);
});

/** Script errors and CSP violations on any page fail the test that opened it. */

const newPage = watchedPages(() => browser);
const signIn = (page: Page, name: string) => signInAs(page, url, name);

const caseButton = (page: Page, c: Pick<Case, 'id'>) => page.locator(`button.case-open[data-case-id="${c.id}"]`);

describe('the advisor console in headless Chromium', () => {
  it('signs in on a phone, shows only my pool’s case, and lets me claim, reply and resolve it', async () => {
    const page = await newPage({ width: 390, height: 800 });
    await page.goto(`${url}/advisor`);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Name').fill('amira');
    // The alert region is there, empty, before anything went wrong (read before the click: the
    // refusal may come back before a read after it).
    await expect(page.getByRole('alert').textContent()).resolves.toBe('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The name or the password is wrong.' }).waitFor();

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await caseButton(page, tunisCase).waitFor();
    expect(await page.locator('#who-name').textContent()).toBe('Amira B.');
    expect(await caseButton(page, pristinaCase).count()).toBe(0);
    expect(await page.locator('#case-list').textContent()).not.toContain('Balkans');
    const line = await caseButton(page, tunisCase).textContent();
    expect(line).toMatch(/HIGH · ar · TN · sensitive/);
    expect(line).toMatch(/open · waiting \d+ min · Tunis team/);

    // The page fits a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await caseButton(page, tunisCase).click();
    await page.getByRole('heading', { name: /^Case: HIGH/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-title');
    expect(await page.locator('#case-brief').textContent()).toContain('Visa for vocational training refused');
    expect(await page.locator('#case-facts').textContent()).toContain('CountryTN');
    const userMessage = page.locator('#history .event.user > .body');
    await userMessage.waitFor();
    expect(await userMessage.getAttribute('dir')).toBe('auto');
    expect(await userMessage.getAttribute('lang')).toBe('ar');
    expect(await userMessage.evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    expect(await page.locator('#history .event.user .translation').first().textContent()).toBe('Translation: [en] هل يمكنني الطعن في قرار رفض التأشيرة؟');
    await page.screenshot({ path: 'data/advisor-console-phone.png' });

    // Not mine yet: no reply field.
    expect(await page.getByLabel('Reply to the user').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByRole('status').filter({ hasText: 'You have claimed the case.' }).waitFor();
    // A cited passage from the knowledge base, into the reply (answers stay sourced).
    await page.getByLabel('Insert a passage from the knowledge base (cited)').fill('Opportunity Card points');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Insert into reply' }).first().click();
    expect(await page.getByLabel('Reply to the user').inputValue()).toMatch(/— .+, https:\/\/\S+ \(as of 20\d\d-\d\d-\d\d\)$/);
    await page.getByLabel('Reply to the user').fill('نعم، يمكنك الطعن خلال شهر. سأشرح لك الخطوات.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('#history .event.advisor').waitFor();
    expect(await page.locator('#history .event.advisor > .body').evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    expect(app.desk.delivered.map((d) => d.text)).toEqual(['[ar] نعم، يمكنك الطعن خلال شهر. سأشرح لك الخطوات.']);
    expect(await page.locator('#history .event.advisor .translation').textContent()).toBe('Sent as: [ar] نعم، يمكنك الطعن خلال شهر. سأشرح لك الخطوات.');
    expect((await app.handoff.get(tunisCase.id))!.claimedBy).toMatchObject({ id: 'amira', name: 'Amira B.', via: 'console' });

    // The user answers while the case is open: it appears without a reload, in the log region.
    await app.desk.userSays(tunisCase.id, 'شكرا جزيلا');
    await page.locator('#history .event.user', { hasText: 'شكرا جزيلا' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#history').getAttribute('role')).toBe('log');

    await page.getByLabel('Outcome').selectOption('answered');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('status').filter({ hasText: 'The case is resolved' }).waitFor();
    await page.locator('#history .event.system', { hasText: 'Resolved by Amira B. (answered)' }).waitFor();
    expect(await page.getByRole('button', { name: 'Claim' }).isVisible()).toBe(false);
    expect(await app.handoff.get(tunisCase.id)).toMatchObject({ status: 'resolved', outcome: 'answered' });
    await page.getByRole('button', { name: 'Back to the queue' }).click();
    await caseButton(page, tunisCase).waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('shows a new case of my pool live, and not another pool’s', async () => {
    const page = await newPage();
    await signIn(page, 'amira');
    await page.locator('#queue-empty').waitFor();
    const other = await app.desk.open({ pool: 'pristina', brief: 'Not for Tunis.' });
    const mine = await app.desk.open({ pool: 'tunis', reason: 'safety', language: 'ar', brief: 'Urgent: threatened by an agent.' });
    await caseButton(page, mine).waitFor({ timeout: 10_000 });
    expect(await caseButton(page, mine).textContent()).toMatch(/^URGENT/);
    expect(await caseButton(page, other).count()).toBe(0);
    await app.handoff.resolve(mine.id, { id: 'x', name: 'X', via: 'console' }, 'other');
    await caseButton(page, mine).waitFor({ state: 'detached', timeout: 10_000 });
    await app.handoff.resolve(other.id, { id: 'x', name: 'X', via: 'console' }, 'other');
    await page.context().close();
  });

  it('works from the keyboard alone: fields in order, focus moved to what opened', async () => {
    const mine = await app.desk.open({ pool: 'tunis', language: 'ur', country: 'PK', brief: 'Asks about recognition of a nursing degree.' });
    await app.desk.userSays(mine.id, 'میری ڈگری کی منظوری میں کتنا وقت لگے گا؟');
    const page = await newPage();
    await page.goto(`${url}/advisor`);
    await page.getByLabel('Name').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-name');
    await page.keyboard.type('amira');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await caseButton(page, mine).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('queue-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.caseId)).toBe(mine.id);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Case: NORMAL · ur · PK/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-title');
    expect(await page.locator('#history .event.user > .body').evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    // Every control in the case view is a real, focusable control with a name.
    for (const role of ['button', 'combobox'] as const) {
      for (const control of await page.getByRole(role).all()) {
        if (!(await control.isVisible())) continue;
        expect((await control.evaluate((node) => node.tagName))).toMatch(/^(BUTTON|SELECT)$/);
      }
    }
    await page.getByRole('button', { name: 'Claim' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'You have claimed the case.' }).waitFor();
    // Focus moves once the claim's answer has been handled, which may be a moment after the status shows.
    await page.waitForFunction(() => document.activeElement?.id === 'reply-text', undefined, { timeout: 5_000 });
    await page.keyboard.type('I will check and answer today.');
    await page.keyboard.press('Control+Enter');
    await page.locator('#history .event.advisor', { hasText: 'I will check and answer today.' }).waitFor();
    await page.screenshot({ path: 'data/advisor-console-desktop.png' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await page.context().cookies()).find((c) => c.name === 'lotse_advisor')).toBeUndefined();
    await app.handoff.resolve(mine.id, { id: 'amira', name: 'Amira B.', via: 'console' }, 'answered');
    await page.context().close();
  });

  it('does not show another pool’s case, and its API answers 403 to a signed-in advisor with a valid CSRF token', async () => {
    const open = await app.desk.open({ pool: 'tunis', brief: 'A Tunis case Dren must not see.' });
    const page = await newPage();
    await signIn(page, 'dren');
    await caseButton(page, pristinaCase).waitFor();
    expect(await caseButton(page, open).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('must not see');

    // One session cookie, on the console's path and the queue dashboard's (/admin/queues), nowhere else.
    const cookies = (await page.context().cookies()).filter((c) => c.name === 'lotse_advisor');
    expect(cookies.map((c) => c.path).sort()).toEqual(['/admin/queues', '/advisor']);
    for (const cookie of cookies) expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: cookies[0]!.value });
    const answers = await page.evaluate(async (caseId) => {
      const session = await (await fetch('/advisor/api/session')).json();
      const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken };
      const read = await fetch('/advisor/api/cases/' + caseId);
      const claim = await fetch('/advisor/api/cases/' + caseId + '/claim', { method: 'POST', headers, body: '{}' });
      const reply = await fetch('/advisor/api/cases/' + caseId + '/reply', { method: 'POST', headers, body: JSON.stringify({ text: 'Hi', messageId: 'dren-message-1' }) });
      const ownClaim = await fetch('/advisor/api/cases/' + caseId + '/claim', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { read: [read.status, await read.text()], claim: [claim.status, await claim.text()], reply: reply.status, withoutToken: ownClaim.status, cookieVisible: document.cookie.includes('lotse_advisor') };
    }, open.id);
    expect(answers).toEqual({
      read: [403, JSON.stringify({ error: 'This case is not in your pools.' })],
      claim: [403, JSON.stringify({ error: 'This case is not in your pools.' })],
      reply: 403,
      withoutToken: 403,
      cookieVisible: false,
    });
    expect(await app.handoff.get(open.id)).toMatchObject({ status: 'open' });
    expect(app.desk.delivered.filter((d) => d.caseId === open.id)).toEqual([]);
    await app.handoff.resolve(open.id, { id: 'x', name: 'X', via: 'console' }, 'other');
    await page.context().close();
  });
});
