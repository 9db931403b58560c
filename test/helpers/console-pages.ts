import type { Browser, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { PASSWORD } from '../integration/handoff/console-harness.js';

/** A new page whose script errors and CSP violations are pushed to `problems` (the test's afterEach fails on any). */
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }, problems: string[]): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  return page;
}

/** Signs an advisor in to the console at `url` (with the harness's password) and waits for the queue. */
export async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/advisor`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Queue' }).waitFor();
}

/**
 * Pages watched for script errors and CSP violations: each test that opened one fails on any
 * (registers the afterEach). `browser` is read when a page is opened (it is launched in beforeAll).
 */
export function watchedPages(browser: () => Browser, defaultViewport = { width: 1280, height: 900 }): (viewport?: { width: number; height: number }) => Promise<Page> {
  let problems: string[] = [];
  afterEach(() => {
    const found = problems;
    problems = [];
    expect(found).toEqual([]);
  });
  return (viewport = defaultViewport) => watchedPage(browser(), viewport, problems);
}

/** Signs in through the console's API (not a page): the session cookie, every Set-Cookie line, and the CSRF token. */
export async function consoleSignIn(url: string, name: string, password = PASSWORD): Promise<{ cookie: string; cookies: string[]; csrfToken: string }> {
  const response = await fetch(`${url}/advisor/api/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ name, password }) });
  expect(response.status, await response.clone().text()).toBe(200);
  const cookies = response.headers.getSetCookie();
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: cookies.find((c) => c.startsWith('lotse_advisor='))!.split(';')[0]!, cookies, csrfToken };
}
