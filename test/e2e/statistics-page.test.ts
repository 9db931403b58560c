import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchedPages, signIn as signInAs } from '../helpers/console-pages.js';
import { launchChromium } from '../helpers/headless-chromium.js';
import { BUS_QUESTION, DOG_QUESTIONS, SEEDED, seedDays, seedStatistics } from '../helpers/statistics-seed.js';
import { statisticsConsoleApp } from '../integration/statistics/statistics-harness.js';

let harness: Awaited<ReturnType<typeof statisticsConsoleApp>>;
let browser: Browser;
let url: string;

beforeAll(async () => {
  harness = await statisticsConsoleApp();
  await seedStatistics(harness.statistics);
  url = await harness.app.listen();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  expect(await harness?.close()).toEqual([]);
});

/** Script errors and CSP violations on any page fail the test that opened it. */

const newPage = watchedPages(() => browser);
const signIn = (page: Page, name: string) => signInAs(page, url, name);

/** A table's rows as label → count. */
const tableRows = async (page: Page, id: string) =>
  Object.fromEntries(await page.locator(`#table-${id} tbody tr`).evaluateAll((rows) => rows.map((row) => [row.querySelector('th')?.textContent ?? '', row.querySelector('td')?.textContent ?? ''])));

async function openStatistics(page: Page, name = 'sara') {
  await signIn(page, name);
  await page.getByRole('link', { name: 'Statistics' }).click();
  await page.getByRole('heading', { name: 'Statistics', level: 2 }).waitFor();
}

describe('the statistics page in headless Chromium', () => {
  it('shows programme staff the seeded totals, charts and tables', async () => {
    const page = await newPage();
    await openStatistics(page);
    expect(page.url()).toBe(`${url}/advisor/statistics`);
    const total = (id: string) => page.locator(`#total-${id} .value`).textContent();
    expect(await total('started')).toBe(String(SEEDED.started));
    expect(await total('active')).toBe(String(SEEDED.active));
    expect(await total('questions')).toBe(String(SEEDED.questions));
    expect(await total('answered')).toBe(String(SEEDED.answered));
    expect(await total('unanswered')).toBe(String(SEEDED.unanswered));
    expect(await total('escalations')).toBe(String(SEEDED.escalations));
    expect(await total('cases')).toBe(String(SEEDED.cases));
    expect(await total('wait-median')).toBe('12.5 min');
    expect(await total('wait-p90')).toBe('40.5 min');
    expect(await total('sla')).toBe('1');

    // Four charts, each an image with a title and a description, bars with their own titles, and a table.
    const charts = page.getByRole('img');
    expect(await charts.count()).toBe(4);
    const conversations = page.getByRole('img', { name: 'Conversations per day' });
    expect(await conversations.isVisible()).toBe(true);
    const { today, yesterday, before } = seedDays();
    expect(await conversations.locator('rect > title').allTextContents()).toEqual(
      expect.arrayContaining([`${before} · Active: 7`, `${before} · Started: 7`, `${yesterday} · Active: 6`, `${today} · Started: 5`]),
    );
    expect(await page.locator('#chart-questions rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-waits rect > title').allTextContents()).toEqual(expect.arrayContaining([`${yesterday} · Median: 5 min`, `${yesterday} · 90th percentile: 42 min`, `${today} · Median: 12.5 min`]));
    // The table fallback, opened as a person would.
    await page.locator('#chart-conversations summary').click();
    const fallback = page.locator('#chart-conversations table');
    expect(await fallback.locator(`tr:has(th:text-is("${yesterday}")) td`).allTextContents()).toEqual(['6', '4']);

    expect(await tableRows(page, 'languages')).toEqual({ English: '9', Arabic: '6', French: '3' });
    expect(await tableRows(page, 'countries')).toEqual({ Ghana: '8', Jordan: '5', 'Other countries (fewer than 5 each)': '4' });
    expect(await page.locator('#table-countries .note').textContent()).toContain('(2 here)');
    expect(await tableRows(page, 'channels')).toEqual({ 'Web chat': '9', Telegram: '6', WhatsApp: '3' });
    expect(await tableRows(page, 'sources')).toMatchObject({ 'Opportunity Card: the points system': '6' });
    expect(Object.keys(await tableRows(page, 'sources'))[1]).toMatch(/^Travelling home/);
    expect(await tableRows(page, 'escalationReasons')).toEqual({ 'Individual or sensitive case': '2', 'Safety (danger)': '1' });
    expect(await tableRows(page, 'dangerKinds')).toEqual({ 'Trafficking exploitation': '1' });
    expect(await tableRows(page, 'outcomes')).toEqual({ Answered: '1', 'Cancelled or expired before an advisor resolved it': '1', Referred: '1', 'User did not respond': '1' });
    expect(await tableRows(page, 'waits')).toEqual({ 'Cases claimed': '3', Median: '12.5 min', '90th percentile': '40.5 min', Mean: '18.7 min' });

    // The unanswered questions, grouped, largest group first.
    const groups = page.locator('#unanswered li.group');
    expect(await groups.count()).toBe(2);
    const dog = groups.first();
    expect(DOG_QUESTIONS).toContain(await dog.locator('blockquote').textContent());
    expect(await dog.locator('p.muted').textContent()).toMatch(/^4 questions from 3 conversations · French \(3\), Arabic \(1\) · last asked /);
    expect(await groups.nth(1).locator('blockquote').textContent()).toBe(BUS_QUESTION);
    expect(await page.locator('#unanswered').textContent()).not.toMatch(/\+49|@/);
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.getByRole('heading', { name: 'Questions the knowledge base could not answer' }).isVisible()).toBe(true);
  });

  it('narrows the period, and downloads the CSV of it', async () => {
    const page = await newPage();
    await openStatistics(page);
    const { today, yesterday } = seedDays();
    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'From … to …' });
    await page.getByLabel('From', { exact: true }).fill(yesterday);
    await page.getByLabel('To', { exact: true }).fill(yesterday);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/from=/);
    expect(await page.locator('#total-started .value').textContent()).toBe('4');
    expect(await page.locator('#total-cases .value').textContent()).toBe('2');

    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/days=7/);
    expect(await page.locator('#total-started .value').textContent()).toBe(String(SEEDED.started));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lotse-statistics-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('date,metric,key,label,value');
    expect(lines).toContain(`${today},conversations_started,,,5`);
    expect(lines).toContain(`${yesterday},conversations_active,,,6`);
    expect(lines).toContain(`${yesterday},conversations_by_language,fr,French,3`);
    expect(lines).toContain(`${yesterday},conversations_by_country,other,Other countries (fewer than 5 each),3`);
    expect(lines).toContain(`${today},answers_by_source,return-travel,Travelling home: who pays the ticket (REAG/GARP 2.0) and how the trip is organised,5`);
    expect(lines).toContain(`${yesterday},escalations_by_danger,trafficking_exploitation,Trafficking exploitation,1`);
    expect(lines).toContain(`${yesterday},wait_median_minutes,,,5`);
    expect(lines).toContain(`${yesterday},wait_p90_minutes,,,42`);
    expect(lines.filter((line) => line.startsWith(`${today},`)).length).toBeGreaterThan(5);
    expect(lines.at(-1)).toBe('');
    expect(csv).not.toMatch(/SN|TN|gh-\d|dog/);
  });

  it('links a document to a group of unanswered questions, and the link stays after a reload', async () => {
    const page = await newPage();
    await openStatistics(page);
    const dog = page.locator('#unanswered li.group').first();
    const status = dog.getByRole('status');
    expect(await status.textContent()).toBe('Not covered by a document yet.');
    // A document the knowledge does not have: refused, said next to the form.
    await dog.getByLabel('Knowledge document that answers these').fill('no-such-document');
    await dog.getByRole('button', { name: 'Link document' }).click();
    await dog.getByRole('alert').filter({ hasText: 'document: no knowledge document has this id' }).waitFor();

    await dog.getByLabel('Knowledge document that answers these').fill('working-in-germany');
    await dog.getByRole('button', { name: 'Link document' }).click();
    await status.filter({ hasText: /^Covered by “Working in Germany/ }).waitFor();
    expect(await dog.getByRole('alert').textContent()).toBe('');
    expect(await status.textContent()).toMatch(/linked \d{4}-\d\d-\d\d by sara\)\.$/);

    await page.reload();
    const reloaded = page.locator('#unanswered li.group').first();
    expect(await reloaded.getByRole('status').textContent()).toMatch(/^Covered by “Working in Germany/);
    expect(await reloaded.getAttribute('class')).toContain('linked');
    expect(await page.locator('#unanswered li.group').nth(1).getByRole('status').textContent()).toBe('Not covered by a document yet.');

    // Staff can take the link back.
    await reloaded.getByRole('button', { name: 'Remove link' }).click();
    await reloaded.getByRole('status').filter({ hasText: 'Not covered by a document yet.' }).waitFor();
    await page.reload();
    expect(await page.locator('#unanswered li.group').first().getByRole('status').textContent()).toBe('Not covered by a document yet.');
  });

  it('refuses an advisor (403) and gives them no link to it', async () => {
    const page = await newPage();
    await signIn(page, 'amira');
    expect(await page.getByRole('link', { name: 'Statistics' }).count()).toBe(0);
    const response = await page.goto(`${url}/advisor/statistics`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('heading', { name: 'Not allowed' }).isVisible()).toBe(true);
    expect(await page.locator('body').textContent()).toContain('Only programme staff and admins can see the statistics.');
  });

  it('sends someone without a session to the sign-in, and shows an admin the page', async () => {
    const page = await newPage();
    await page.goto(`${url}/advisor/statistics?days=7`);
    expect(page.url()).toBe(`${url}/advisor`);
    await page.getByLabel('Name').waitFor();
    await openStatistics(page, 'root');
    expect(await page.locator('#total-started .value').textContent()).toBe(String(SEEDED.started));
  });
});
