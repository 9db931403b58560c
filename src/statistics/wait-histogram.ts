/**
 * Waiting times (a case opened → first claimed) are kept as counts in fixed buckets, so that a
 * day needs a few counters however many cases it had, and days add up: the median and the 90th
 * percentile of any range are estimated from the summed buckets, by linear interpolation inside
 * the bucket the rank falls in (exact to within that bucket's width).
 */

/** Upper edges of the buckets, in minutes; bucket i holds waits in (EDGES[i-1], EDGES[i]], the last everything longer. */
export const WAIT_BUCKET_EDGES = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, Number.POSITIVE_INFINITY] as const;

/** The bucket of a wait in milliseconds (negative waits, from clock skew, count as none). */
export function waitBucket(waitMs: number): number {
  const minutes = Math.max(0, waitMs) / 60_000;
  const index = WAIT_BUCKET_EDGES.findIndex((edge) => minutes <= edge);
  return index < 0 ? WAIT_BUCKET_EDGES.length - 1 : index;
}

/** A percentile estimate. */
export interface WaitEstimate {
  minutes: number;
  /** True when it falls in the last, open bucket: the wait was longer than `minutes`. */
  atLeast: boolean;
}

/**
 * The `p`-th percentile (0 < p ≤ 1) of the waits counted in `buckets` (index → count), or
 * undefined with none counted.
 */
export function waitPercentile(buckets: readonly number[], p: number): WaitEstimate | undefined {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = p * total;
  let before = 0;
  for (let i = 0; i < WAIT_BUCKET_EDGES.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && before + count >= rank) {
      const lower = i === 0 ? 0 : WAIT_BUCKET_EDGES[i - 1]!;
      const upper = WAIT_BUCKET_EDGES[i]!;
      if (!Number.isFinite(upper)) return { minutes: lower, atLeast: true };
      const minutes = lower + ((upper - lower) * (rank - before)) / count;
      return { minutes: Math.round(minutes * 10) / 10, atLeast: false };
    }
    before += count;
  }
  return undefined;
}

/** The buckets of a day's or range's `wait:<i>` counters as an array. */
export function bucketArray(counters: Record<string, number>): number[] {
  return WAIT_BUCKET_EDGES.map((_edge, i) => counters[String(i)] ?? 0);
}
