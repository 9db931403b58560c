import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Case } from '../../../src/core/case.js';
import { CaseRepository } from '../../../src/handoff/case-repository.js';
import { HandoffService } from '../../../src/handoff/handoff-service.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import type { StatisticsReport } from '../../../src/statistics/statistics-report.js';
import { dayOf } from '../../../src/statistics/utc-days.js';
import { poolDirectory } from '../../helpers/memory-handoff-console.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';
import { BUS_QUESTION, DOG_QUESTIONS, SEEDED, seedDays, seedStatistics } from '../../helpers/statistics-seed.js';
import { statisticsConsoleApp, statisticsOn } from './statistics-harness.js';

let harness: Awaited<ReturnType<typeof statisticsConsoleApp>>;

beforeAll(async () => {
  harness = await statisticsConsoleApp();
  await seedStatistics(harness.statistics);
});
afterAll(async () => {
  expect(await harness?.close()).toEqual([]);
});

const get = async (path: string, who?: 'root' | 'sara' | 'amira') => {
  const headers = who ? (await harness.app.signIn(who)).headers : {};
  return harness.app.server.inject({ method: 'GET', url: path, headers });
};
const rows = (table: { key: string; count: number }[]) => Object.fromEntries(table.map((row) => [row.key, row.count]));

describe('statistics recorded in Redis, read through the console API', () => {
  it('adds up the seeded days: totals, per day, tables, waits', async () => {
    const response = await get('/advisor/api/statistics?days=7', 'sara');
    expect(response.statusCode).toBe(200);
    const report = response.json() as StatisticsReport;
    const { today, yesterday, before } = seedDays();
    expect(report.days).toBe(7);
    expect(report.to).toBe(today);
    expect(report.totals).toMatchObject({
      started: SEEDED.started,
      active: SEEDED.active,
      turns: SEEDED.turns,
      questions: SEEDED.questions,
      answered: SEEDED.answered,
      unanswered: SEEDED.unanswered,
      escalated: SEEDED.escalated,
      escalations: SEEDED.escalations,
      cases: SEEDED.cases,
      slaBreaches: SEEDED.slaBreaches,
      waits: { claimed: SEEDED.waits.claimed, medianMinutes: SEEDED.waits.medianMinutes, p90Minutes: SEEDED.waits.p90Minutes, meanMinutes: SEEDED.waits.meanMinutes, medianAtLeast: false, p90AtLeast: false },
    });
    const day = (d: string) => report.daily.find((row) => row.day === d)!;
    expect(day(before)).toMatchObject({ started: 7, active: 7, turns: 13, answered: 6, unanswered: 1, escalated: 0, cases: 0, claimed: 0, waitMedianMinutes: null });
    expect(day(yesterday)).toMatchObject({ started: 4, active: 6, turns: 7, unanswered: 4, escalated: 2, escalations: 3, cases: 2, slaBreaches: 1, claimed: 2, waitMedianMinutes: 5, waitP90Minutes: 42 });
    expect(day(today)).toMatchObject({ started: 5, active: 5, turns: 5, answered: 5, cases: 2, claimed: 1 });
    expect(report.daily.filter((row) => ![today, yesterday, before].includes(row.day)).every((row) => row.active === 0 && row.turns === 0)).toBe(true);

    expect(rows(report.tables.channels)).toEqual(SEEDED.channels);
    expect(rows(report.tables.languages)).toEqual(SEEDED.languages);
    expect(rows(report.tables.countries)).toEqual(SEEDED.countries);
    expect(report.tables.countries.map((row) => row.label)).toEqual(['Ghana', 'Jordan', 'Other countries (fewer than 5 each)']);
    expect(report.smallCounts).toEqual({ threshold: 5, countriesHidden: 2 });
    expect(rows(report.tables.sources)).toEqual(SEEDED.sources);
    expect(report.tables.sources.map((row) => row.label)).toEqual(['Opportunity Card: the points system', expect.stringMatching(/^Travelling home/)]);
    expect(rows(report.tables.escalationReasons)).toEqual(SEEDED.escalationReasons);
    expect(rows(report.tables.dangerKinds)).toEqual({ trafficking_exploitation: 1 });
    expect(rows(report.tables.outcomes)).toEqual(SEEDED.outcomes);
    expect(rows(report.tables.topics)).toMatchObject({ 'opportunity-card': 6, points: 6, return: 5, travel: 5, recognition: 2 });
  });

  it('groups the unanswered questions, redacted, with their languages', async () => {
    const report = (await get('/advisor/api/statistics?days=30', 'root')).json() as StatisticsReport;
    expect(report.unanswered.total).toBe(5);
    expect(report.unanswered.groups).toHaveLength(2);
    const [dog, bus] = report.unanswered.groups;
    expect(dog).toMatchObject({ count: SEEDED.dogGroup.count, conversations: SEEDED.dogGroup.conversations, languages: [{ language: 'fr', count: 3 }, { language: 'ar', count: 1 }] });
    expect([dog!.example, ...dog!.more].sort()).toEqual([...DOG_QUESTIONS].sort());
    expect(bus).toMatchObject({ count: 1, example: BUS_QUESTION, more: [] });
    // Nothing names a conversation.
    expect(JSON.stringify(report)).not.toMatch(/gh-0|sn-1|conversation"/);
  });

  it('narrows to a range of dates, and refuses bad ranges with a 400 naming the field', async () => {
    const { yesterday } = seedDays();
    const one = (await get(`/advisor/api/statistics?from=${yesterday}&to=${yesterday}`, 'sara')).json() as StatisticsReport;
    expect(one.days).toBe(1);
    expect(one.totals).toMatchObject({ started: 4, active: 6, cases: 2, unanswered: 4 });
    // On that day alone Ghana has 2 and Senegal 3, both fewer than 5: neither is named.
    expect(rows(one.tables.countries)).toEqual({ other: 5 });
    expect(one.smallCounts.countriesHidden).toBe(2);
    expect(one.unanswered.total).toBe(4);

    const bad = await get('/advisor/api/statistics?from=2026-13-01', 'sara');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'from: a date as YYYY-MM-DD' });
    expect((await get('/advisor/api/statistics?days=5', 'sara')).json().error).toMatch(/^days: /);
    expect((await get(`/advisor/api/statistics?from=${yesterday}&to=2020-01-01`, 'sara')).json()).toEqual({ error: 'from: must not be after to' });
  });

  it('is for staff and admins: an advisor gets 403, no session 401 (the page: sign-in)', async () => {
    expect((await get('/advisor/api/statistics', 'amira')).statusCode).toBe(403);
    expect((await get('/advisor/api/statistics')).statusCode).toBe(401);
    const page = await get('/advisor/statistics', 'amira');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Only programme staff and admins can see the statistics.');
    const signedOut = await get('/advisor/statistics');
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/advisor');
    expect((await get('/advisor/statistics.csv')).statusCode).toBe(303);
    expect((await get('/advisor/statistics.csv', 'amira')).statusCode).toBe(403);
    // The header links to the page for staff and admins only.
    expect((await get('/advisor/api/session', 'sara')).json().links).toEqual([{ href: '/advisor/statistics', label: 'Statistics' }]);
    expect((await get('/advisor/api/session', 'amira')).json().links).toEqual([]);
  });

  it('serves the CSV with its name, escaped, and the page under the console\'s CSP', async () => {
    const { today } = seedDays();
    const csv = await get('/advisor/statistics.csv?days=7', 'sara');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="lotse-statistics-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv"$/);
    expect(csv.body).toContain(`${today},conversations_started,,,5\r\n`);
    expect(csv.body).toContain(`${today},answers_by_source,return-travel,`);
    const page = await get('/advisor/statistics', 'sara');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'; style-src 'self'/);
    expect(page.body).not.toMatch(/<script>|<style|style=/);
    expect(page.body).toContain('<script src="/advisor/statistics.js" defer></script>');
    expect((await get('/advisor/statistics.js')).headers['content-type']).toContain('text/javascript');
    expect((await get('/advisor/statistics.css')).headers['content-type']).toContain('text/css');
    const badPage = await get('/advisor/statistics?from=nope', 'sara');
    expect(badPage.statusCode).toBe(400);
    expect(badPage.body).toContain('from: a date as YYYY-MM-DD');
  });
});

describe('linking a document to a group of unanswered questions', () => {
  const post = async (body: unknown, who: 'sara' | 'amira' = 'sara', csrf = true) => {
    const session = await harness.app.signIn(who);
    return harness.app.server.inject({ method: 'POST', url: '/advisor/api/statistics/links', payload: body as object, headers: csrf ? session.headers : { cookie: session.cookie } });
  };

  it('stores the link with its questions, shows it, and removes it again', async () => {
    const before = (await get('/advisor/api/statistics', 'sara')).json() as StatisticsReport;
    const dog = before.unanswered.groups[0]!;
    expect(dog.link).toBeUndefined();
    const linked = await post({ questions: dog.questionIds, document: 'working-in-germany' });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ linked: 4, link: { document: 'working-in-germany', by: 'sara', title: expect.stringMatching(/^Working in Germany/) } });
    const after = (await get('/advisor/api/statistics', 'root')).json() as StatisticsReport;
    expect(after.unanswered.groups.find((group) => group.id === dog.id)?.link).toMatchObject({ document: 'working-in-germany', by: 'sara', askedSince: 0 });
    expect(after.unanswered.groups.find((group) => group.id !== dog.id)?.link).toBeUndefined();

    expect((await post({ questions: dog.questionIds, document: null })).json()).toEqual({ linked: 4, link: null });
    expect(((await get('/advisor/api/statistics', 'sara')).json() as StatisticsReport).unanswered.groups[0]!.link).toBeUndefined();
  });

  it('refuses a document the knowledge does not have, bad ids, no CSRF token, advisors and questions no longer kept', async () => {
    const group = ((await get('/advisor/api/statistics', 'sara')).json() as StatisticsReport).unanswered.groups[0]!;
    expect((await post({ questions: group.questionIds, document: 'no-such-document' })).json()).toEqual({ error: 'document: no knowledge document has this id' });
    const badIds = await post({ questions: ['../../etc'], document: 'working-in-germany' });
    expect(badIds.statusCode).toBe(400);
    expect(badIds.json().error).toMatch(/^questions\.0: /);
    expect((await post({ questions: [], document: 'working-in-germany' })).json().error).toMatch(/^questions: /);
    expect((await post({ questions: group.questionIds })).json().error).toMatch(/^document: /);
    expect((await post({ questions: group.questionIds, document: 'working-in-germany', extra: 1 })).statusCode).toBe(400);
    expect((await post({ questions: group.questionIds, document: 'working-in-germany' }, 'sara', false)).statusCode).toBe(403);
    expect((await post({ questions: group.questionIds, document: 'working-in-germany' }, 'amira')).statusCode).toBe(403);
    const gone = await post({ questions: ['0123456789abcdef'], document: 'working-in-germany' });
    expect(gone.statusCode).toBe(404);
    expect(((await get('/advisor/api/statistics', 'sara')).json() as StatisticsReport).unanswered.groups[0]!.link).toBeUndefined();
  });
});

describe('a user\'s unanswered questions: export and erasure', () => {
  it('shows the questions of one conversation only, then erases them (and their links); the counts stay', async () => {
    const redis = new Redis(inject('redisUrl'));
    const stats = await statisticsOn(redis);
    try {
      await seedStatistics(stats.statistics, 'x');
      const report = () => stats.statistics.reader(stats.catalogue).report(seedDays().before, seedDays().today);
      const dog = (await report()).unanswered.groups[0]!;
      await stats.statistics.unanswered.link(dog.questionIds, { document: 'working-in-germany', at: new Date().toISOString(), by: 'sara' });

      const exported = await stats.statistics.erasure.export!('whatsapp:sn-1-x');
      expect(exported).toEqual([
        { askedAt: expect.any(String), language: 'fr', question: DOG_QUESTIONS[1] },
        { askedAt: expect.any(String), language: 'fr', question: DOG_QUESTIONS[1] },
      ]);
      expect(await stats.statistics.erasure.export!('whatsapp:nobody')).toBeUndefined();

      await stats.statistics.erasure.erase('whatsapp:sn-1-x');
      expect(await stats.statistics.erasure.export!('whatsapp:sn-1-x')).toBeUndefined();
      const after = await report();
      expect(after.unanswered.total).toBe(3);
      expect(after.unanswered.groups[0]).toMatchObject({ count: 2, conversations: 2 });
      expect(after.unanswered.groups[0]!.link?.document).toBe('working-in-germany');
      const questionKeys = await scanKeys(redis, `${stats.prefix}stats:unanswered:question:*`);
      expect(questionKeys).toHaveLength(3);
      expect((await redis.mget(questionKeys)).join('\n')).not.toContain(stats.logId('whatsapp:sn-1-x'));
      expect(await redis.hlen(stats.statistics.keys.links)).toBe(2);
      // The daily numbers hold no one's data: they stay.
      expect(after.totals.started).toBe(SEEDED.started);
      expect(stats.errors).toEqual([]);
    } finally {
      expect(await stats.cleanup()).toEqual([]);
      await redis.quit();
    }
  });
});

describe('recording', () => {
  it('keeps the counters STATS_DAYS and the questions RETENTION_DAYS, and drops questions past it', async () => {
    const redis = new Redis(inject('redisUrl'));
    const stats = await statisticsOn(redis);
    try {
      const facts = (redacted: string) => ({ channel: 'web', language: 'en' as const, started: true, question: { confidence: 0, outcome: 'unanswered' as const, redacted, topics: [], sources: [] } });
      const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
      await stats.statistics.recorder.recordTurn('web:old', { facts: facts('Old: where do I renew a passport?') }, daysAgo(100));
      await stats.statistics.recorder.recordTurn('web:older', { facts: facts('Can I keep chickens in Germany?') }, daysAgo(80));
      await stats.statistics.recorder.recordTurn('web:new', { facts: facts('How do I import my car to Germany?') });
      const ttl = await redis.ttl(stats.statistics.keys.day(dayOf(new Date())));
      expect(ttl).toBeGreaterThan(400 * 86_400 - 10);
      expect(ttl).toBeLessThanOrEqual(401 * 86_400);
      // Each question expires RETENTION_DAYS after it was asked: the one of 100 days ago at once, and it left the timeline.
      const questionKeys = await scanKeys(redis, `${stats.prefix}stats:unanswered:question:*`);
      const ttls = (await Promise.all(questionKeys.map((key) => redis.ttl(key)))).sort((a, b) => a - b);
      expect(ttls).toHaveLength(2);
      expect(ttls[0]).toBeGreaterThan(9 * 86_400);
      expect(ttls[0]).toBeLessThanOrEqual(10 * 86_400);
      expect(ttls[1]).toBeGreaterThan(90 * 86_400 - 10);
      expect(ttls[1]).toBeLessThanOrEqual(90 * 86_400);
      expect(await redis.zcard(stats.statistics.keys.timeline)).toBe(2);
      expect(await redis.ttl(stats.statistics.keys.byConversation(stats.logId('web:new')))).toBeGreaterThan(89 * 86_400);
      const report = await stats.statistics.reader(stats.catalogue).report(dayOf(daysAgo(120)), dayOf(new Date()));
      expect(report.unanswered.groups.map((group) => group.example).sort()).toEqual(['Can I keep chickens in Germany?', 'How do I import my car to Germany?']);
      // Keys without an expiry hold no one's words: only random ids, times, counts and links.
      for (const key of await stats.keys()) {
        if ((await redis.ttl(key)) >= 0) continue;
        const type = await redis.type(key);
        const text = type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1)) : String(await redis.get(key));
        expect(text, key).not.toMatch(/passport|chickens|car|web:/);
      }
      // Every key is a statistics key under the one tag.
      expect((await stats.keys()).every((key) => key.startsWith(`${stats.prefix}stats:`) || key === `${stats.prefix}log-hash-key`)).toBe(true);
    } finally {
      expect(await stats.cleanup()).toEqual([]);
      await redis.quit();
    }
  });

  it('never fails a turn or a case: a failure goes to onError', async () => {
    const redis = new Redis(inject('redisUrl'));
    const stats = await statisticsOn(redis);
    await stats.cleanup();
    await redis.quit();
    // The connection is closed: every write fails.
    await expect(stats.statistics.recorder.recordTurn('web:x', { facts: { channel: 'web', language: 'en', started: true } })).resolves.toBeUndefined();
    await expect(stats.statistics.observeCase({ id: 'c', createdAt: new Date().toISOString() } as Case, { id: '1', type: 'opened', at: new Date().toISOString() })).resolves.toBeUndefined();
    expect(stats.errors.map((e) => e.where)).toEqual(['statistics (turn)', 'statistics (case)']);
    // A turn without facts (no consent yet, a duplicate) records nothing, and needs no Redis.
    await stats.statistics.recorder.recordTurn('web:x', {});
    expect(stats.errors).toHaveLength(2);
  });

  it('observes the real handoff: a case opened, claimed, released, claimed again and resolved counts one wait', async () => {
    const redis = new Redis(inject('redisUrl'));
    const stats = await statisticsOn(redis);
    const casePrefix = `stats-cases-${randomUUID().slice(0, 8)}:`;
    try {
      const handoff = new HandoffService({
        repository: new CaseRepository(redis, casePrefix, 1),
        pools: poolDirectory([{ id: 'general', name: 'General' }]),
        translator: new I18nTranslator(Messages.create()),
        observers: [stats.statistics.observeCase],
      });
      const advisor = { id: 'amira', name: 'Amira', via: 'console' } as const;
      const c = await handoff.open({ conversationKey: 'web:u1', channel: 'web', userId: 'u1', priority: 'high', language: 'en', reason: 'sensitive', brief: 'x' });
      expect((await handoff.claim(c.id, advisor)).ok).toBe(true);
      expect((await handoff.release(c.id, advisor)).ok).toBe(true);
      expect((await handoff.claim(c.id, advisor)).ok).toBe(true);
      expect((await handoff.resolve(c.id, advisor, 'referred')).ok).toBe(true);
      const today = dayOf(new Date());
      const report = await stats.statistics.reader(stats.catalogue).report(today, today);
      expect(report.totals).toMatchObject({ cases: 1, waits: { claimed: 1 } });
      expect(report.totals.waits.medianMinutes).toBeLessThanOrEqual(1);
      expect(rows(report.tables.outcomes)).toEqual({ referred: 1 });
      expect(stats.errors).toEqual([]);
    } finally {
      await deleteKeys(redis, casePrefix);
      expect(await stats.cleanup()).toEqual([]);
      await redis.quit();
    }
  });
});
