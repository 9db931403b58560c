import type { Browser, Page } from 'playwright-core';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAdvisorCommand } from '../../src/handoff/advisors/console/account-commands.js';
import { shortHash } from '../../src/queue/lanes/lane-keys.js';
import type { TypingJob } from '../../src/queue/job-types.js';
import { PASSWORD } from '../integration/handoff/console-harness.js';
import { consoleSignIn, signIn, watchedPages } from '../helpers/console-pages.js';
import { launchChromium } from '../helpers/headless-chromium.js';
import { runLotse } from '../helpers/running-lotse.js';

/** A user's phone number, name and words: none of it may show anywhere in the dashboard. */
const PHONE = '4917012345678';
const NAME = 'Amira Haddad';
const TEXT = 'Ich heiße Amira Haddad und brauche Hilfe mit meinem Visum';
const MESSAGE_ID = `whatsapp:${PHONE}:wamid.HBgNNDkxNzAxMjM0NTY3OBUCABIYFjNFQjA`;
const LANE = `whatsapp:${PHONE}`;
/** What must never be visible: the values, and the unkeyed hashes Lotse's own job ids are made of (a guess over phone numbers would reverse them). */
const SECRETS = [PHONE, '170 1234567', NAME, 'Haddad', 'Visum', 'wamid', LANE, shortHash(LANE), shortHash(MESSAGE_ID, 24)];
const leaked = (text: string) => SECRETS.filter((secret) => text.includes(secret));

let lotse: Awaited<ReturnType<typeof runLotse>>;
let browser: Browser;
let url: string;
let caseId: string;

/** Signs in through the console's API: the cookie header for /admin/queues (the console sets its cookie on both paths). */
async function cookieOf(name: string): Promise<string> {
  const { cookies } = await consoleSignIn(url, name);
  expect(cookies.some((c) => /Path=\/admin\/queues/.test(c))).toBe(true);
  return cookies.find((c) => /Path=\/admin\/queues/.test(c))!.split(';')[0]!;
}

const get = (path: string, cookie?: string) => fetch(`${url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
const put = (path: string, cookie: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { method: 'PUT', redirect: 'manual', headers: { cookie, 'sec-fetch-site': 'same-origin', origin: url, ...headers } });

beforeAll(async () => {
  // A gateway alone: what it takes in waits in the queues for a worker that is not there.
  lotse = await runLotse({}, { gateway: true, worker: false, sender: false });
  url = lotse.url!;
  const redis = new Redis(inject('redisUrl'));
  const add = (name: string, extra: string[]) => runAdvisorCommand(['add', name, '--password-stdin', ...extra], { redis, prefix: lotse.keyPrefix, readPassword: async () => PASSWORD, out: () => undefined });
  await add('root', ['--pools', 'default', '--admin']);
  await add('amira', ['--pools', 'default']);
  await add('sam', ['--pools', '', '--staff']);

  // A user's message (waiting in its lane, a wake-up job naming the lane), a case (an SLA timer), and "typing…" jobs:
  // one failed with the user's words and number in its reason and logs, one completed returning them, one waiting.
  await lotse.queues.accept({ id: MESSAGE_ID, channel: 'whatsapp', userId: PHONE, kind: 'text', text: TEXT, receivedAt: new Date().toISOString() });
  caseId = (await lotse.handoff.open({ conversationKey: LANE, channel: 'whatsapp', userId: PHONE, language: 'de', reason: 'user_request', priority: 'normal', brief: `${NAME} fragt nach einem Visum.` })).id;
  const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const typing = lotse.queues.typingQueue;
  await typing.add('typing', { typing: { channel: 'whatsapp', userId: PHONE, at: Date.now() } }, { removeOnFail: false, jobId: `t-${PHONE}-failed` });
  await typing.add('typing', { typing: { channel: 'whatsapp', userId: PHONE } }, { removeOnComplete: false, jobId: `t-${PHONE}-done` });
  const worker = new Worker<TypingJob>(typing.name, async (job: Job<TypingJob>) => {
    await job.log(`${NAME} (${PHONE}) wrote: ${TEXT}`);
    if (job.id?.endsWith('failed')) throw new Error(`could not show typing to ${NAME} at +49 170 1234567: ${TEXT}`);
    return `${NAME}: ${TEXT}`;
  }, { connection, prefix: lotse.queuePrefix });
  const finished = async () => Object.values(await typing.getJobCounts('failed', 'completed')).reduce((sum, n) => sum + n, 0);
  while ((await finished()) < 2) await new Promise((resolve) => setTimeout(resolve, 50));
  await worker.close();
  await connection.quit();
  await typing.add('typing', { typing: { channel: 'whatsapp', userId: PHONE, at: Date.now() } }, { jobId: `t-${PHONE}-waiting` });
  await redis.quit();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.cleanup();
});

/** Script errors and CSP violations on any page fail the test that opened it. */
const newPage = watchedPages(() => browser);

describe('who may open the queue dashboard (HTTP)', () => {
  it('sends the signed-out to the console’s sign-in (pages) or answers 401 (its API)', async () => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/queue/inbound']) {
      const page = await get(path);
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/advisor');
    }
    expect((await get('/admin/queues/api/queues')).status).toBe(401);
    expect((await get('/admin/queues/api/queues', 'lotse_advisor=made-up')).status).toBe(401);
  });

  it('refuses advisors and staff (403), and shows them no link', async () => {
    for (const name of ['amira', 'sam']) {
      const cookie = await cookieOf(name);
      const page = await get('/admin/queues', cookie);
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('Only admins can open the queue dashboard.');
      expect((await get('/admin/queues/api/queues', cookie)).status).toBe(403);
      expect((await put('/admin/queues/api/queues/typing/retry/failed', cookie)).status).toBe(403);
      const session = await fetch(`${url}/advisor/api/session`, { headers: { cookie } });
      expect(((await session.json()) as { links: { href: string }[] }).links.map((l) => l.href)).not.toContain('/admin/queues');
    }
    const session = await fetch(`${url}/advisor/api/session`, { headers: { cookie: await cookieOf('root') } });
    expect(((await session.json()) as { links: unknown[] }).links).toContainEqual({ href: '/admin/queues', label: 'Queues' });
  });

  it('gives an admin the page, with a CSP loosened only where bull-board’s page needs it, and every queue', async () => {
    const cookie = await cookieOf('root');
    const page = await get('/admin/queues', cookie);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    const html = await page.text();
    expect(html).not.toContain('fonts.googleapis.com');
    const api = await get('/admin/queues/api/queues', cookie);
    const { queues } = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(['advisor-notices', 'event-notices', 'handoff-sla', 'inbound', 'outbound', 'typing']);
    expect(queues.find((q) => q.name === 'inbound')!.counts.waiting).toBe(1);
    expect(queues.find((q) => q.name === 'handoff-sla')!.counts.delayed).toBe(1);
    expect(queues.find((q) => q.name === 'typing')!.counts).toMatchObject({ failed: 1, completed: 1, waiting: 1 });
  });

  it('shows jobs redacted in every answer of its API: data, names, ids, return values, failures, logs', async () => {
    const cookie = await cookieOf('root');
    const bodies: string[] = [];
    const read = async (path: string) => {
      const response = await get(path, cookie);
      const body = await response.text();
      bodies.push(body);
      return { status: response.status, json: JSON.parse(body) as Record<string, unknown> };
    };
    type Listed = { queues: { name: string; jobs: { id: string; data: Record<string, unknown>; failedReason: string; returnValue: unknown }[] }[] };
    const jobsOf = async (queue: string, status: string) => ((await read(`/admin/queues/api/queues?activeQueue=${queue}&status=${status}&page=1&jobsPerPage=10`)).json as Listed).queues.find((q) => q.name === queue)!.jobs;

    const [wake] = await jobsOf('inbound', 'waiting');
    expect(wake!.data).toEqual({ kind: 'wake', lanes: 'inbound', channel: 'whatsapp', conversation: expect.stringMatching(/^[\w-]{12}$/) });
    const [timer] = await jobsOf('handoff-sla', 'delayed');
    expect(timer!.data).toEqual({ kind: 'sla', case: expect.stringMatching(/^[\w-]{12}$/), step: 1 });
    const [failed] = await jobsOf('typing', 'failed');
    expect(failed!.data).toMatchObject({ kind: 'typing', channel: 'whatsapp' });
    expect(failed!.failedReason).toBe('failed (the reason is in the server log: it may quote personal data, so it is not shown here)');
    const [done] = await jobsOf('typing', 'completed');
    expect(done!.returnValue).toBe('(hidden)');
    await jobsOf('typing', 'waiting');

    // One job's details and logs, by its sealed id.
    const details = await read(`/admin/queues/api/queues/typing/${encodeURIComponent(failed!.id)}`);
    expect(details.status).toBe(200);
    const logs = await read(`/admin/queues/api/queues/typing/${encodeURIComponent(failed!.id)}/logs`);
    expect(logs.json).toEqual(['1 log line(s) not shown: job logs may quote personal data.']);
    expect((await read('/admin/queues/api/queues/typing/1/logs')).status).toBe(404);
    await read('/admin/queues/api/redis/stats');
    await read('/admin/queues/api/job-schedulers');
    await read(`/admin/queues/api/queues/typing/${encodeURIComponent(failed!.id)}/flow`);
    for (const body of bodies) expect(leaked(body)).toEqual([]);
    expect(bodies.join('\n')).not.toContain(caseId);
  });
});

describe('the queue dashboard in the browser (headless Chromium)', () => {
  /** Every answer of bull-board's API the page received, as text. */
  const watchApi = (page: Page) => {
    const bodies: Promise<string>[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/admin/queues/api/')) bodies.push(response.text().catch(() => ''));
    });
    return bodies;
  };

  it('an admin follows the header link: the dashboard renders its queues and jobs, with no CSP violation, and shows no one’s data', async () => {
    const page = await newPage();
    const bodies = watchApi(page);
    await signIn(page, url, 'root');
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.waitForURL(`${url}/admin/queues`);
    for (const name of ['inbound', 'outbound', 'typing', 'handoff-sla', 'advisor-notices', 'event-notices']) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
    const seen: string[] = [];
    const look = async (path: string, shows: string) => {
      await page.goto(`${url}/admin/queues/${path}`);
      await page.getByText(shows).first().waitFor({ timeout: 15_000 });
      const snapshot = async () => seen.push(await page.evaluate(() => document.body.innerText), await page.content());
      await snapshot();
      for (const tab of ['Data', 'Options', 'Logs', 'Error']) {
        const button = page.getByRole('tab', { name: tab, exact: true }).first();
        if (!(await button.isVisible())) continue;
        await button.click();
        // The tab's own panel is shown: a snapshot taken at once may still show the tab before it.
        await page.waitForFunction((name) => {
          const selected = Array.from(document.querySelectorAll('[role="tab"][aria-selected="true"]')).find((element) => element.textContent === name);
          return selected !== undefined && document.querySelector(`[role="tabpanel"][aria-labelledby="${selected.id}"]`) !== null;
        }, tab);
        await snapshot();
      }
    };
    // A waiting wake-up, a pending SLA timer, a failed and a completed job, as an admin would open them, tab by tab.
    await look('queue/inbound?status=waiting', 'conversation:');
    await look('queue/handoff-sla?status=delayed', 'case:');
    await look('queue/typing?status=failed', 'it may quote personal data');
    await look('queue/typing?status=completed', '(hidden)');
    const all = seen.join('\n');
    expect(all).toContain('kind:"sla"');
    expect(all).toContain('failed (the reason is in the server log: it may quote personal data, so it is not shown here)');
    expect(all).toContain('1 log line(s) not shown: job logs may quote personal data.');
    for (const text of seen) expect(leaked(text)).toEqual([]);
    const answers = await Promise.all(bodies);
    expect(answers.length).toBeGreaterThan(5);
    for (const body of answers) expect(leaked(body)).toEqual([]);
  });

  it('an advisor has no link, and is refused the page', async () => {
    const page = await newPage();
    await signIn(page, url, 'amira');
    expect(await page.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    const response = await page.goto(`${url}/admin/queues`);
    expect(response?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  });

  it('someone signed out lands on the console’s sign-in', async () => {
    const page = await newPage();
    await page.goto(`${url}/admin/queues`);
    expect(page.url()).toBe(`${url}/advisor`);
    await page.getByLabel('Password').waitFor();
  });
});

describe('what an admin may do in the queue dashboard (HTTP; runs last, it changes the jobs)', () => {
  it('lets an admin retry and clean failed jobs, and nothing else', async () => {
    const cookie = await cookieOf('root');
    const listed = (await (await get('/admin/queues/api/queues?activeQueue=typing&status=completed&page=1&jobsPerPage=10', cookie)).json()) as { queues: { name: string; jobs: { id: string }[] }[] };
    const done = listed.queues.find((q) => q.name === 'typing')!.jobs[0]!;
    for (const [path, headers] of [
      ['/admin/queues/api/queues/inbound/pause', {}],
      ['/admin/queues/api/queues/inbound/empty', {}],
      ['/admin/queues/api/queues/handoff-sla/promote', {}],
      ['/admin/queues/api/queues/handoff-sla/clean/delayed', {}],
      [`/admin/queues/api/queues/typing/${encodeURIComponent(done.id)}/retry`, {}],
      // From another site: refused before anything else.
      ['/admin/queues/api/queues/typing/retry/failed', { 'sec-fetch-site': 'cross-site' }],
      ['/admin/queues/api/queues/typing/retry/failed', { origin: 'https://evil.example' }],
    ] as const) {
      expect({ path, status: (await put(path, cookie, headers)).status }).toEqual({ path, status: 403 });
    }
    const add = await fetch(`${url}/admin/queues/api/queues/typing/add`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ name: 'typing', data: {} }) });
    expect(add.status).toBe(403);
    expect(await lotse.queues.typingQueue.getJobCounts('waiting', 'completed', 'failed')).toEqual({ waiting: 1, completed: 1, failed: 1 });

    expect((await put('/admin/queues/api/queues/typing/retry/failed', cookie)).status).toBe(200);
    expect(await lotse.queues.typingQueue.getJobCounts('waiting', 'failed')).toEqual({ waiting: 2, failed: 0 });
    expect((await put(`/admin/queues/api/queues/typing/${encodeURIComponent(done.id)}/clean`, cookie)).status).toBe(204);
    expect((await put('/admin/queues/api/queues/typing/clean/completed', cookie)).status).toBe(200);
    expect(await lotse.queues.typingQueue.getJobCounts('completed')).toEqual({ completed: 0 });
  });
});
