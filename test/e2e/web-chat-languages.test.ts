import { Redis } from 'ioredis';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSender } from '../../src/channels/web/outbound.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { runLotse } from '../helpers/running-lotse.js';
import { launchChromium } from '../helpers/headless-chromium.js';

/**
 * The web chat for everyone, in headless Chromium at a phone's size: its own words in the
 * browser's language, replies rendered from Markdown, right to left for Arabic, the person's
 * messages back after a reload, only the latest buttons. Replies whose exact form matters are
 * written into the session's outbox by a WebSender, as the outbound sender would.
 */
const PHONE = { width: 390, height: 844 };
let browser: Browser;
let lotse: Awaited<ReturnType<typeof runLotse>>;
let redis: Redis;
let sender: WebSender;

beforeAll(async () => {
  lotse = await runLotse();
  redis = new Redis(inject('redisUrl'));
  sender = new WebSender(redis, lotse.keyPrefix);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await redis?.quit();
  await lotse?.cleanup();
});

let pageErrors: string[] = [];
let contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  contexts = [];
  const errors = pageErrors;
  pageErrors = [];
  expect(errors).toEqual([]);
});

/** A phone's browser set to one language. */
async function phone(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, locale, isMobile: true, hasTouch: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${lotse.url}/chat`);
  return { context, page };
}

const bot = (page: Page) => page.locator('.msg.bot');
const mine = (page: Page) => page.locator('.msg.me');
async function say(page: Page, text: string) {
  await page.locator('#text').fill(text);
  await page.keyboard.press('Enter');
}
/** The conversation as drawn: "me: …" and "bot: …", in order. */
const conversation = (page: Page) => page.locator('.msg').evaluateAll((nodes) => nodes.map((node) => `${node.classList.contains('me') ? 'me' : 'bot'}: ${(node.querySelector('.body') ?? node).textContent!.trim().slice(0, 40)}`));

/** Writes a reply into the browser's session outbox, as the outbound sender does. */
async function deliver(context: BrowserContext, reply: Omit<OutboundMessage, 'id' | 'channel' | 'userId'>) {
  const session = (await context.cookies()).find((cookie) => cookie.name === 'lotse_chat')!.value;
  await sender.send({ id: `web:${session}:test:${Math.random().toString(36).slice(2)}:0`, channel: 'web', userId: session, ...reply }, 0);
}

/** What a person sees of the page's own words. */
const pageWords = (page: Page) =>
  page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    title: document.title,
    placeholder: (document.getElementById('text') as HTMLTextAreaElement).placeholder,
    send: document.getElementById('send')!.textContent,
    label: document.getElementById('text-label')!.textContent,
    conversation: document.getElementById('log')!.getAttribute('aria-label'),
  }));

const CARD = { id: 'opportunity-card', title: 'Opportunity Card', url: 'https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card', asOf: '2026-11-22' };

describe('the web chat for everyone (headless Chromium, 390×844)', () => {
  it('in English: greets with three example questions, sends one on a tap, renders Markdown, and lists the sources as links to their pages', async () => {
    const { context, page } = await phone('en-US');
    expect(await pageWords(page)).toEqual({ lang: 'en', dir: 'ltr', title: 'Lotse – migration advice chat', placeholder: 'Type your question…', send: 'Send', label: 'Your message', conversation: 'Conversation' });
    const examples = page.locator('.greeting .examples button');
    expect(await examples.count()).toBe(3);
    expect(await examples.first().textContent()).toBe('How many points do I need for the Opportunity Card?');

    await examples.first().click();
    expect(await mine(page).first().textContent()).toBe('How many points do I need for the Opportunity Card?');
    await bot(page).first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.greeting').count()).toBe(0);

    await deliver(context, {
      text: 'You need **at least 6 points** [1]:\n\n- German A1 *or* English B2\n- a recognised degree\n\n| Criterion | Points |\n|---|---|\n| Language | 1–3 |\n\nDetails on [the portal](https://www.make-it-in-germany.com/en). <b>no</b> [x](javascript:alert(1))',
      language: 'en',
      direction: 'ltr',
      sources: [CARD],
      sourceLabels: { heading: 'Sources', asOf: 'as of' },
    });
    const answer = bot(page).last();
    await answer.getByText('at least 6 points').waitFor({ timeout: 10_000 });
    const shown = await answer.innerText();
    expect(shown).not.toMatch(/\*|\||\]\(/);
    // Raw HTML is shown as the text it is, never made into elements.
    expect(shown).toContain('<b>no</b>');
    expect(await answer.locator('b').count()).toBe(0);
    expect(await answer.locator('strong').textContent()).toBe('at least 6 points');
    expect(await answer.locator('table td').allTextContents()).toEqual(['Language', '1–3']);
    expect(await answer.locator('a[href^="javascript"]').count()).toBe(0);
    const source = answer.locator('.sources a');
    expect(await source.getAttribute('href')).toBe(CARD.url);
    expect(await source.textContent()).toBe('Opportunity Card');
    expect(await source.getAttribute('target')).toBe('_blank');
    expect(await answer.locator('.sources li').textContent()).toBe('Opportunity Card, as of 2026-11-22');
    expect(await answer.locator('.sources-heading').textContent()).toBe('Sources');

    // An answer in the old form: its sources list comes out of the text, the page lists them once.
    await deliver(context, { text: `Here is what I found.\n\nSources:\n[1] Opportunity Card, as of 2026-11-22: ${CARD.url}\n\nThis is general information.`, language: 'en', direction: 'ltr', sources: [CARD] });
    const legacy = bot(page).last();
    await legacy.getByText('Here is what I found.').waitFor({ timeout: 10_000 });
    expect(await legacy.locator('.body').innerText()).not.toContain('[1]');
    expect(await legacy.locator('.sources li').textContent()).toBe('Opportunity Card, as of 2026-11-22');
    await page.screenshot({ path: 'data/web-chat-en.png' });
  });

  it('in French: the page speaks French, restores the person\'s messages in order after a reload, and offers only the latest buttons', async () => {
    const { page } = await phone('fr-FR');
    expect(await pageWords(page)).toEqual({ lang: 'fr', dir: 'ltr', title: 'Lotse – chat du conseil en migration', placeholder: 'Écrivez votre question…', send: 'Envoyer', label: 'Votre message', conversation: 'Conversation' });
    expect(await page.locator('.greeting p').textContent()).toMatch(/^Bonjour, je suis Lotse/);

    await say(page, 'Bonjour, je voudrais travailler en Allemagne');
    const notice = bot(page).first();
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.getAttribute('lang')).toBe('fr');
    const choices = notice.locator('.choices button');
    expect(await choices.count()).toBeGreaterThan(0);
    const yes = (await choices.first().textContent())!;
    await choices.first().click();
    // Pressing a button closes that reply's buttons: it cannot be answered twice.
    for (const button of await choices.all()) expect(await button.isDisabled()).toBe(true);
    expect(await choices.first().getAttribute('aria-pressed')).toBe('true');
    await bot(page).nth(1).waitFor({ timeout: 20_000 });
    // Agreeing may bring the answer to the first message as well: let the replies settle.
    await page.waitForTimeout(1_000);
    const replies = await bot(page).count();
    await say(page, 'Combien de points me faut-il pour la carte d\'opportunité ?');
    await bot(page).nth(replies).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const before = await conversation(page);
    expect(before.slice(0, 4).map((line) => line.slice(0, 4))).toEqual(['me: ', 'bot:', 'me: ', 'bot:']);
    expect(before[2]).toBe(`me: ${yes}`);
    expect(before.filter((line) => line.startsWith('me: '))).toHaveLength(3);
    expect(before.at(-1)).toMatch(/^bot:/);
    expect(before.at(-2)).toMatch(/^me: Combien de points/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

    await page.reload();
    await bot(page).nth(replies).waitFor({ timeout: 20_000 });
    await mine(page).nth(2).waitFor();
    expect(await conversation(page)).toEqual(before);
    expect(await page.locator('.greeting').count()).toBe(0);
    expect(await pageWords(page)).toMatchObject({ lang: 'fr', send: 'Envoyer' });
    // The privacy notice's buttons were answered: not offered again.
    expect(await bot(page).first().locator('button').count()).toBe(0);
    const offered = page.locator('.msg.bot button:enabled');
    expect(await offered.count()).toBe(await bot(page).last().locator('button:enabled').count());
  });

  it('in Arabic: the page and its replies run right to left, with numbers, paragraph numbers, dates and URLs isolated', async () => {
    const { context, page } = await phone('ar');
    expect(await pageWords(page)).toEqual({ lang: 'ar', dir: 'rtl', title: 'لوتسه – محادثة إرشاد الهجرة', placeholder: 'اكتب سؤالك…', send: 'إرسال', label: 'رسالتك', conversation: 'المحادثة' });
    expect(await page.locator('.greeting .examples button').count()).toBe(3);

    await say(page, 'كم نقطة أحتاج لبطاقة الفرص؟');
    const notice = bot(page).first();
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.getAttribute('dir')).toBe('rtl');

    await deliver(context, {
      text: 'للاستفسار اتصل بالخط الساخن **+49 30 1815-1111** (من 8–16). انظر §18a من قانون الإقامة؛ الحد الأدنى للراتب €50,700. المزيد: https://www.make-it-in-germany.com/ar',
      language: 'ar',
      direction: 'rtl',
      sources: [{ ...CARD, title: 'بطاقة الفرص' }],
      sourceLabels: { heading: 'المصادر', asOf: 'محدّث حتى' },
    });
    const answer = bot(page).last();
    await answer.locator('bdi').first().waitFor({ timeout: 10_000 });
    expect(await answer.getAttribute('dir')).toBe('rtl');
    expect(await answer.locator('.body bdi').allTextContents()).toEqual(['+49 30 1815-1111', '8–16', '§18a', '€50,700', 'https://www.make-it-in-germany.com/ar']);
    expect(await answer.locator('strong bdi').textContent()).toBe('+49 30 1815-1111');
    // And it reads left to right: "+" first, the last digit last (unisolated, the bidi algorithm puts "+49" on the right).
    const [plus, last] = await answer.locator('strong bdi').evaluate((bdi) => {
      const range = document.createRange();
      const x = (at: number) => (range.setStart(bdi.firstChild!, at), range.setEnd(bdi.firstChild!, at + 1), range.getBoundingClientRect().x);
      return [x(0), x(bdi.textContent!.length - 1)];
    });
    expect(plus).toBeLessThan(last!);
    expect(await answer.innerText()).not.toContain('**');
    expect(await answer.locator('.sources-heading').textContent()).toBe('المصادر');
    expect(await answer.locator('.sources a').getAttribute('href')).toBe(CARD.url);
    expect(await answer.locator('.sources li').textContent()).toBe('بطاقة الفرص، محدّث حتى 2026-11-22');
    expect(await answer.locator('.sources li bdi').textContent()).toBe('2026-11-22');
    expect(await pageWords(page)).toMatchObject({ lang: 'ar', dir: 'rtl' });
    await page.screenshot({ path: 'data/web-chat-ar.png' });
  });

  it('follows the language of the latest reply, and forgets the kept messages when the conversation is erased', async () => {
    const { context, page } = await phone('en-GB');
    await say(page, 'Hello');
    await bot(page).first().waitFor({ timeout: 20_000 });
    await deliver(context, { text: 'Bonjour !', language: 'fr', direction: 'ltr' });
    await bot(page).nth(1).waitFor({ timeout: 10_000 });
    expect(await pageWords(page)).toMatchObject({ lang: 'fr', send: 'Envoyer' });
    await deliver(context, { text: 'مرحبًا', language: 'ar', direction: 'rtl' });
    await bot(page).nth(2).waitFor({ timeout: 10_000 });
    expect(await pageWords(page)).toMatchObject({ lang: 'ar', dir: 'rtl', send: 'إرسال' });

    await say(page, 'delete');
    await page.getByText('Everything about you has been deleted').waitFor({ timeout: 20_000 });
    await bot(page).nth(4).waitFor({ timeout: 20_000 });
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('lotse-chat-mine') ?? '[]') as { text: string }[]);
    expect(kept).toEqual([]);

    await page.reload();
    await bot(page).nth(1).waitFor({ timeout: 20_000 });
    expect(await mine(page).count()).toBe(0);
    expect(await bot(page).count()).toBe(2);
    // The new privacy notice, the latest reply, offers its buttons again.
    expect(await bot(page).last().locator('button:enabled').count()).toBeGreaterThan(0);
  });
});
