import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AdvisorRole } from '../handoff/advisors/console/accounts.js';
import { asPage, parseInput, requireRole, type ConsoleExtension } from '../handoff/advisors/console/console-extensions.js';
import { ConsoleRefusal } from '../handoff/advisors/console/refusals.js';
import { STATISTICS_SCRIPT, STATISTICS_STYLES } from './statistics-assets.js';
import { statisticsCsv } from './statistics-csv.js';
import { statisticsPage, PERIODS } from './statistics-page.js';
import { MAX_GROUPED_QUESTIONS, type StatisticsReader } from './statistics-reader.js';
import { QUESTION_ID, type UnansweredQuestions } from './unanswered-questions.js';
import { addDays, dayOf, isDay, spanDays, type Day } from './utc-days.js';

/** Programme staff and admins see the statistics; advisors do not. */
export const STATISTICS_ROLES: readonly AdvisorRole[] = ['staff', 'admin'];
const NOT_ALLOWED = 'Only programme staff and admins can see the statistics.';
const DEFAULT_PERIOD = 30;

const day = z
  .string()
  .trim()
  .refine((value) => value === '' || isDay(value), 'a date as YYYY-MM-DD')
  .optional();

/** `?days=7|30|90`, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (either may be left out); nothing else. */
export const rangeQuerySchema = z.strictObject({
  days: z.enum(['', ...PERIODS.map(String)] as [string, ...string[]], `one of ${PERIODS.join(', ')}`).optional(),
  from: day,
  to: day,
});

export const linkBodySchema = z.strictObject({
  questions: z.array(z.string().regex(QUESTION_ID, 'question ids as the page gives them')).min(1, 'name at least one question').max(MAX_GROUPED_QUESTIONS, `at most ${MAX_GROUPED_QUESTIONS} questions`),
  /** A knowledge document's id, or null to remove the link. */
  document: z.string().trim().min(1, 'choose a document').max(200, 'no document has so long an id').nullable(),
});

export interface StatisticsRange {
  from: Day;
  to: Day;
  /** The period chosen (7, 30, 90 days up to today), when it was one. */
  period?: number;
}

/** The range a query asks for: a period up to today, or dates (a 400 naming the field when they make no sense). */
export function resolveRange(query: z.infer<typeof rangeQuerySchema>, today: Day, maxDays: number): StatisticsRange {
  if (query.days) {
    const period = Number(query.days);
    return { from: addDays(today, -(period - 1)), to: today, period };
  }
  if (!query.from && !query.to) return { from: addDays(today, -(DEFAULT_PERIOD - 1)), to: today, period: DEFAULT_PERIOD };
  const to = query.to || today;
  const from = query.from || addDays(to, -(DEFAULT_PERIOD - 1));
  if (to > today) throw new ConsoleRefusal(400, `to: must not be after today (${today})`);
  if (from > to) throw new ConsoleRefusal(400, 'from: must not be after to');
  if (spanDays(from, to) > maxDays) throw new ConsoleRefusal(400, `from: at most ${maxDays} days can be shown at once (statistics are kept ${maxDays} days)`);
  return { from, to };
}

export interface StatisticsConsoleDeps {
  reader: StatisticsReader;
  unanswered: UnansweredQuestions;
  /** STATS_DAYS: the longest range that can be asked for. */
  statsDays: number;
  now?: () => Date;
}

/**
 * The console's statistics page for programme staff (and admins): /advisor/statistics (the page),
 * /advisor/statistics.csv (the download), /advisor/api/statistics (the same report as JSON) and
 * POST /advisor/api/statistics/links (a document linked to a group of unanswered questions).
 */
export function statisticsConsole(deps: StatisticsConsoleDeps): ConsoleExtension {
  const now = deps.now ?? (() => new Date());
  const range = (query: unknown) => resolveRange(parseInput(rangeQuerySchema, query), dayOf(now()), Math.max(deps.statsDays, PERIODS.at(-1)!));
  return {
    link: { href: '/advisor/statistics', label: 'Statistics', roles: STATISTICS_ROLES },
    routes(scope, access) {
      const asset = (reply: FastifyReply, type: string, body: string) => reply.type(type).header('cache-control', 'no-cache').send(body);
      scope.get('/advisor/statistics.js', async (_request, reply) => asset(reply, 'text/javascript; charset=utf-8', STATISTICS_SCRIPT));
      scope.get('/advisor/statistics.css', async (_request, reply) => asset(reply, 'text/css; charset=utf-8', STATISTICS_STYLES));

      scope.get('/advisor/statistics', (request, reply) =>
        asPage(reply, async () => {
          requireRole(await access.signedIn(request), STATISTICS_ROLES, NOT_ALLOWED);
          const { from, to, period } = range(request.query);
          const [report, documents] = await Promise.all([deps.reader.report(from, to, now()), deps.reader.documents()]);
          return statisticsPage(report, documents, { csrf: await access.csrfToken(request), period });
        }),
      );

      scope.get('/advisor/statistics.csv', async (request, reply) => {
        try {
          requireRole(await access.signedIn(request), STATISTICS_ROLES, NOT_ALLOWED);
          const { from, to } = range(request.query);
          const [days, documents] = await Promise.all([deps.reader.days(from, to), deps.reader.documents()]);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="lotse-statistics-${from}-to-${to}.csv"`)
            .send(statisticsCsv(days, documents));
        } catch (error) {
          // Followed as a link: a refusal is a page, and no session leads to the sign-in.
          return asPage(reply, () => Promise.reject(error));
        }
      });

      scope.get('/advisor/api/statistics', async (request) => {
        requireRole(await access.signedIn(request), STATISTICS_ROLES, NOT_ALLOWED);
        const { from, to } = range(request.query);
        return deps.reader.report(from, to, now());
      });

      scope.post('/advisor/api/statistics/links', { bodyLimit: 64 * 1024 }, async (request) => {
        const account = await access.changing(request);
        requireRole(account, STATISTICS_ROLES, NOT_ALLOWED);
        const body = parseInput(linkBodySchema, request.body);
        const documents = await deps.reader.documents();
        const document = body.document === null ? undefined : documents.find((meta) => meta.id === body.document);
        if (body.document !== null && !document) throw new ConsoleRefusal(400, 'document: no knowledge document has this id');
        const link = document ? { document: document.id, at: now().toISOString(), by: account.name } : null;
        const linked = await deps.unanswered.link(body.questions, link);
        if (linked === 0) throw new ConsoleRefusal(404, 'These questions are no longer kept (past the retention period, or erased). Please reload the page.');
        return { linked, link: link && document ? { ...link, title: document.title } : null };
      });
    },
  };
}
