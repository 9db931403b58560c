import type { DocumentMeta } from '../core/knowledge.js';
import type { Dimension } from './statistics-fields.js';
import { MIN_COUNTRY_COUNT, dayRow, hiddenCountries, labelFor, shownKey, type DayData } from './statistics-report.js';

/**
 * The CSV download, in a tidy long format: one row per day, metric and key, with these columns.
 *   date    the UTC day, YYYY-MM-DD
 *   metric  what is counted (below)
 *   key     the value it is split by (a language code, an ISO country code, a document id…); empty for plain metrics
 *   label   the key in words (language or country name, document title)
 *   value   the count, or minutes for the waits
 * Every day has its plain metrics (zeros too); split metrics have a row only where the count is
 * above zero; the waits only on days with a claimed case. Countries with fewer than
 * MIN_COUNTRY_COUNT conversation-days in the range are summed into the key `other`.
 */
export const CSV_COLUMNS = ['date', 'metric', 'key', 'label', 'value'] as const;

/** The split metrics, in the order they are written, and the dimension each is counted by. */
const SPLIT: [metric: string, dimension: Dimension][] = [
  ['questions', 'question'],
  ['conversations_by_channel', 'channel'],
  ['conversations_by_language', 'language'],
  ['conversations_by_country', 'country'],
  ['conversations_by_audience', 'audience'],
  ['questions_by_topic', 'topic'],
  ['answers_by_source', 'source'],
  ['escalations_by_reason', 'escalation'],
  ['escalations_by_danger', 'danger'],
  ['case_outcomes', 'outcome'],
];

/**
 * One cell: a text a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) gets a leading apostrophe; a cell with a comma, quote or line break is quoted,
 * its quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * The CSV of a range's days. Starts with a byte-order mark, so that spreadsheet programs read
 * its UTF-8 (Arabic titles, country names) as UTF-8; lines end in CRLF.
 */
export function statisticsCsv(days: readonly DayData[], documents: readonly DocumentMeta[], threshold = MIN_COUNTRY_COUNT): string {
  const hidden = hiddenCountries(days, threshold);
  let csv = `\uFEFF${csvLine(CSV_COLUMNS)}`;
  for (const data of days) {
    const { day, counts } = data;
    const row = dayRow(data);
    const plain = (metric: string, value: number) => (csv += csvLine([day, metric, '', '', value]));
    plain('conversations_started', row.started);
    plain('conversations_active', row.active);
    plain('turns', row.turns);
    for (const [metric, dimension] of SPLIT) {
      const merged = new Map<string, number>();
      for (const [key, n] of Object.entries(counts.dimensions[dimension])) {
        const shown = shownKey(dimension, key, hidden);
        merged.set(shown, (merged.get(shown) ?? 0) + n);
      }
      for (const [key, n] of [...merged].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b))) {
        csv += csvLine([day, metric, key, labelFor(dimension, key, documents, threshold), n]);
      }
    }
    plain('cases_opened', row.cases);
    plain('sla_breaches', row.slaBreaches);
    plain('cases_claimed', row.claimed);
    if (row.waitMedianMinutes !== null) plain('wait_median_minutes', row.waitMedianMinutes);
    if (row.waitP90Minutes !== null) plain('wait_p90_minutes', row.waitP90Minutes);
  }
  return csv;
}
