/**
 * The field names of a day's counters (`<prefix>stats:day:<day>`, a Redis hash). A field is a
 * plain metric (`turns`), or a dimension and one of its values (`language:ar`, `source:pam-overview`).
 * Values come from Lotse's own vocabularies (channels, languages, ISO country codes, knowledge ids
 * and topics, escalation reasons, case outcomes): never from what a user wrote.
 */

/** Plain counters. */
export const METRICS = {
  /** Turns of users who agreed to the privacy notice. */
  turns: 'turns',
  /** Conversations that started (the user agreed to the privacy notice). */
  started: 'started',
  /** Conversations active on the day, each counted once that day. */
  active: 'active',
  /** Advisor cases opened. */
  cases: 'cases',
  /** Cases still unclaimed when their pool's SLA ran out (once per case). */
  slaBreaches: 'sla_breaches',
  /** Cases claimed for the first time, and their waiting times summed (seconds), for the mean. */
  waitCount: 'wait_count',
  waitSeconds: 'wait_seconds',
} as const;

/**
 * Dimensions: what a count is split by. Counted per conversation and day (the first turn of a
 * conversation that day): channel, language, country, audience. Per question: question (its
 * outcome), topic, source (answered questions only). Per escalation: escalation (its reason),
 * danger (its kind, for safety). Per case: outcome, wait (a histogram bucket, see wait-histogram.ts).
 */
export const DIMENSIONS = ['channel', 'language', 'country', 'audience', 'question', 'topic', 'source', 'escalation', 'danger', 'outcome', 'wait'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A value safe as part of a field name: letters, digits, dot, dash and underscore, at most 64 characters. */
export function cleanValue(value: string): string {
  const cleaned = value.normalize('NFC').trim().replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 64);
  return cleaned === '' ? 'unknown' : cleaned;
}

/** An ISO 3166-1 alpha-2 code in capitals (XK for Kosovo), or `unknown`. */
export const cleanCountry = (code: string): string => (/^[A-Za-z]{2}$/.test(code.trim()) ? code.trim().toUpperCase() : 'unknown');

export const field = (dimension: Dimension, value: string): string => `${dimension}:${dimension === 'country' ? cleanCountry(value) : cleanValue(value)}`;

/** One day's counters, read back. */
export interface DayCounts {
  metrics: Record<string, number>;
  dimensions: Record<Dimension, Record<string, number>>;
}

export function emptyDayCounts(): DayCounts {
  return { metrics: {}, dimensions: Object.fromEntries(DIMENSIONS.map((d) => [d, {}])) as DayCounts['dimensions'] };
}

const isDimension = (name: string): name is Dimension => (DIMENSIONS as readonly string[]).includes(name);

/** A day's hash as counters; fields of no known dimension (a newer version's) are left out. */
export function parseDayCounts(hash: Record<string, string>): DayCounts {
  const counts = emptyDayCounts();
  for (const [name, raw] of Object.entries(hash)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const colon = name.indexOf(':');
    if (colon < 0) {
      counts.metrics[name] = value;
      continue;
    }
    const dimension = name.slice(0, colon);
    if (isDimension(dimension)) counts.dimensions[dimension][name.slice(colon + 1)] = value;
  }
  return counts;
}
