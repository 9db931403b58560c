import type { RedisConnection } from '../infra/redis.js';
import type { DocumentCatalogue } from './document-catalogue.js';
import { groupQuestions } from './question-groups.js';
import { emptyDayCounts, parseDayCounts } from './statistics-fields.js';
import type { StatisticsKeys } from './statistics-keys.js';
import { buildReport, withLinks, type DayData, type StatisticsReport } from './statistics-report.js';
import type { UnansweredQuestions } from './unanswered-questions.js';
import { daysBetween, type Day } from './utc-days.js';

/** At most this many unanswered questions of a range (the latest) are grouped; the page says how many there were. */
export const MAX_GROUPED_QUESTIONS = 1000;
/** Groups sent to the page, largest first. */
export const MAX_GROUPS = 100;

export interface StatisticsReaderDeps {
  redis: RedisConnection;
  keys: StatisticsKeys;
  unanswered: UnansweredQuestions;
  catalogue: DocumentCatalogue;
}

/** Reads a range of days back: the counters in one pipeline, the unanswered questions grouped. */
export class StatisticsReader {
  constructor(private readonly deps: StatisticsReaderDeps) {}

  /** Every day's counters from `from` to `to` (a day without any has zeros). */
  async days(from: Day, to: Day): Promise<DayData[]> {
    const days = daysBetween(from, to);
    const pipeline = this.deps.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.deps.keys.day(day));
    const results = (await pipeline.exec()) ?? [];
    return days.map((day, i) => {
      const [error, hash] = results[i] ?? [null, {}];
      if (error) throw error;
      return { day, counts: hash ? parseDayCounts(hash as Record<string, string>) : emptyDayCounts() };
    });
  }

  async report(from: Day, to: Day, now = new Date()): Promise<StatisticsReport> {
    const [days, documents, asked] = await Promise.all([this.days(from, to), this.documents(), this.deps.unanswered.inRange(from, to, MAX_GROUPED_QUESTIONS, now)]);
    const groups = groupQuestions(asked.questions).slice(0, MAX_GROUPS);
    const links = await this.deps.unanswered.links(groups.flatMap((group) => group.questionIds));
    const askedAt = new Map(asked.questions.map((question) => [question.id, question.at]));
    return buildReport({ from, to, days, documents, unanswered: { total: asked.total, grouped: asked.questions.length, groups: withLinks(groups, links, documents, askedAt) } });
  }

  /** The knowledge's documents; none when they cannot be read (titles fall back to ids). */
  documents() {
    return this.deps.catalogue.documents().catch(() => []);
  }
}
