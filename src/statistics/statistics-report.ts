import type { DocumentMeta } from '../core/knowledge.js';
import { documentTitle } from './document-catalogue.js';
import type { QuestionGroup } from './question-groups.js';
import { METRICS, type DayCounts, type Dimension } from './statistics-fields.js';
import { valueLabel } from './statistics-labels.js';
import type { QuestionLink } from './unanswered-questions.js';
import type { Day } from './utc-days.js';
import { bucketArray, waitPercentile } from './wait-histogram.js';

/**
 * Countries with fewer conversation-days than this in the range are not named: they are counted
 * together as "other countries", per day too, so that no one in a small group of users from one
 * country can be picked out by the day they wrote. Languages (ten, each spoken in many countries)
 * and the other tables are shown as they are.
 */
export const MIN_COUNTRY_COUNT = 5;
export const OTHER_COUNTRIES = 'other';

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** The counts a day and a period both have. */
export interface Tally {
  started: number;
  active: number;
  turns: number;
  answered: number;
  unanswered: number;
  escalated: number;
  escalations: number;
  cases: number;
  slaBreaches: number;
}

export interface DayRow extends Tally {
  day: Day;
  /** Cases first claimed that day, and their waits (minutes, estimated from the buckets). */
  claimed: number;
  waitMedianMinutes: number | null;
  waitP90Minutes: number | null;
}

export interface WaitSummary {
  claimed: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** The estimate lies in the last, open bucket: the waits were longer than the minutes given. */
  medianAtLeast: boolean;
  p90AtLeast: boolean;
  meanMinutes: number | null;
}

/** A group with the document it was linked to, if any, and how many of its questions came after the link. */
export interface GroupView extends QuestionGroup {
  link?: { document: string; title: string; at: string; by: string; askedSince: number };
}

export const TABLES = {
  channels: 'channel',
  languages: 'language',
  countries: 'country',
  audiences: 'audience',
  topics: 'topic',
  sources: 'source',
  escalationReasons: 'escalation',
  dangerKinds: 'danger',
  outcomes: 'outcome',
} as const satisfies Record<string, Dimension>;
export type TableName = keyof typeof TABLES;

export interface StatisticsReport {
  from: Day;
  to: Day;
  days: number;
  totals: Tally & { questions: number; waits: WaitSummary };
  daily: DayRow[];
  tables: Record<TableName, CountRow[]>;
  smallCounts: { threshold: number; countriesHidden: number };
  unanswered: { total: number; grouped: number; groups: GroupView[] };
}

export interface DayData {
  day: Day;
  counts: DayCounts;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);

/** A dimension's counts summed over the days. */
export function rangeTotals(days: readonly DayData[], dimension: Dimension): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { counts } of days) for (const [key, n] of Object.entries(counts.dimensions[dimension])) totals.set(key, (totals.get(key) ?? 0) + n);
  return totals;
}

/** The countries not named in this range (fewer than MIN_COUNTRY_COUNT conversation-days). */
export function hiddenCountries(days: readonly DayData[], threshold = MIN_COUNTRY_COUNT): Set<string> {
  return new Set([...rangeTotals(days, 'country')].filter(([key, n]) => key !== 'unknown' && n < threshold).map(([key]) => key));
}

/** How a value is shown: its own key, or "other" for a country not named. */
export const shownKey = (dimension: Dimension, key: string, hidden: ReadonlySet<string>) => (dimension === 'country' && hidden.has(key) ? OTHER_COUNTRIES : key);

export function labelFor(dimension: Dimension, key: string, documents: readonly DocumentMeta[], threshold = MIN_COUNTRY_COUNT): string {
  if (dimension === 'country' && key === OTHER_COUNTRIES) return `Other countries (fewer than ${threshold} each)`;
  if (dimension === 'source') return documentTitle(documents, key);
  return valueLabel(dimension, key);
}

function waitSummary(buckets: number[], claimed: number, seconds: number): WaitSummary {
  const median = waitPercentile(buckets, 0.5);
  const p90 = waitPercentile(buckets, 0.9);
  return {
    claimed,
    medianMinutes: median?.minutes ?? null,
    p90Minutes: p90?.minutes ?? null,
    medianAtLeast: median?.atLeast ?? false,
    p90AtLeast: p90?.atLeast ?? false,
    meanMinutes: claimed > 0 ? Math.round((seconds / claimed / 60) * 10) / 10 : null,
  };
}

/** A day's counters as the page's row (and the CSV's plain metrics). */
export function dayRow({ day, counts }: DayData): DayRow {
  const m = (name: string) => counts.metrics[name] ?? 0;
  const q = counts.dimensions.question;
  const waits = waitSummary(bucketArray(counts.dimensions.wait), m(METRICS.waitCount), m(METRICS.waitSeconds));
  return {
    day,
    started: m(METRICS.started),
    active: m(METRICS.active),
    turns: m(METRICS.turns),
    answered: q.answered ?? 0,
    unanswered: q.unanswered ?? 0,
    escalated: q.escalated ?? 0,
    escalations: sum(Object.values(counts.dimensions.escalation)),
    cases: m(METRICS.cases),
    slaBreaches: m(METRICS.slaBreaches),
    claimed: waits.claimed,
    waitMedianMinutes: waits.medianMinutes,
    waitP90Minutes: waits.p90Minutes,
  };
}

/** Groups with their links: a group is covered by the latest document linked to any of its questions. */
export function withLinks(groups: readonly QuestionGroup[], links: ReadonlyMap<string, QuestionLink>, documents: readonly DocumentMeta[], askedAt: ReadonlyMap<string, string>): GroupView[] {
  return groups.map((group) => {
    const latest = group.questionIds
      .map((id) => links.get(id))
      .filter((link): link is QuestionLink => link !== undefined)
      .sort((a, b) => b.at.localeCompare(a.at))[0];
    if (!latest) return group;
    const askedSince = group.questionIds.filter((id) => (askedAt.get(id) ?? '') > latest.at).length;
    return { ...group, link: { document: latest.document, title: documentTitle(documents, latest.document), at: latest.at, by: latest.by, askedSince } };
  });
}

/** The report of a range, from its days' counters (every day of the range, in order) and its unanswered groups. */
export function buildReport(input: {
  from: Day;
  to: Day;
  days: readonly DayData[];
  documents: readonly DocumentMeta[];
  unanswered: { total: number; grouped: number; groups: GroupView[] };
  threshold?: number;
}): StatisticsReport {
  const { days, documents } = input;
  const threshold = input.threshold ?? MIN_COUNTRY_COUNT;
  const daily = days.map(dayRow);
  const hidden = hiddenCountries(days, threshold);
  const allWaits = days.reduce<number[]>((total, { counts }) => bucketArray(counts.dimensions.wait).map((n, i) => n + (total[i] ?? 0)), []);
  const total = (name: keyof DayRow) => sum(daily.map((row) => Number(row[name]) || 0));
  const table = (dimension: Dimension): CountRow[] => {
    const merged = new Map<string, number>();
    for (const [key, n] of rangeTotals(days, dimension)) {
      const shown = shownKey(dimension, key, hidden);
      merged.set(shown, (merged.get(shown) ?? 0) + n);
    }
    return [...merged]
      .filter(([, n]) => n > 0)
      .map(([key, count]) => ({ key, label: labelFor(dimension, key, documents, threshold), count }))
      .sort((a, b) => Number(a.key === OTHER_COUNTRIES) - Number(b.key === OTHER_COUNTRIES) || b.count - a.count || a.label.localeCompare(b.label));
  };
  const answered = total('answered');
  const unanswered = total('unanswered');
  const escalated = total('escalated');
  return {
    from: input.from,
    to: input.to,
    days: days.length,
    totals: {
      started: total('started'),
      active: total('active'),
      turns: total('turns'),
      questions: answered + unanswered + escalated,
      answered,
      unanswered,
      escalated,
      escalations: total('escalations'),
      cases: total('cases'),
      slaBreaches: total('slaBreaches'),
      waits: waitSummary(allWaits, total('claimed'), sum(days.map(({ counts }) => counts.metrics[METRICS.waitSeconds] ?? 0))),
    },
    daily,
    tables: Object.fromEntries(Object.entries(TABLES).map(([name, dimension]) => [name, table(dimension)])) as Record<TableName, CountRow[]>,
    smallCounts: { threshold, countriesHidden: hidden.size },
    unanswered: input.unanswered,
  };
}
