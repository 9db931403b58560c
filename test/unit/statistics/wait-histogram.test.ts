import { describe, expect, it } from 'vitest';
import { WAIT_BUCKET_EDGES, waitBucket, waitPercentile } from '../../../src/statistics/wait-histogram.js';

const MINUTE = 60_000;
/** The buckets of some waits, in minutes. */
const buckets = (...minutes: number[]) => {
  const counts = WAIT_BUCKET_EDGES.map(() => 0);
  for (const m of minutes) counts[waitBucket(m * MINUTE)]! += 1;
  return counts;
};

describe('waiting-time buckets', () => {
  it('puts a wait in the bucket whose upper edge it does not pass', () => {
    expect(waitBucket(0)).toBe(0);
    expect(waitBucket(-5_000)).toBe(0);
    expect(waitBucket(1 * MINUTE)).toBe(0);
    expect(waitBucket(1 * MINUTE + 1)).toBe(1);
    expect(waitBucket(4 * MINUTE)).toBe(2);
    expect(waitBucket(40 * MINUTE)).toBe(WAIT_BUCKET_EDGES.indexOf(45));
    expect(waitBucket(10 * 24 * 60 * MINUTE)).toBe(WAIT_BUCKET_EDGES.length - 1);
  });

  it('estimates the median and the 90th percentile within a bucket', () => {
    expect(waitPercentile(buckets(), 0.5)).toBeUndefined();
    // One wait of 3 minutes: somewhere in (2, 5], taken as the middle.
    expect(waitPercentile(buckets(3), 0.5)).toEqual({ minutes: 3.5, atLeast: false });
    // 4, 12 and 40 minutes: the median falls in (10, 15], the 90th percentile in (30, 45].
    expect(waitPercentile(buckets(4, 40, 12), 0.5)).toEqual({ minutes: 12.5, atLeast: false });
    expect(waitPercentile(buckets(4, 40, 12), 0.9)).toEqual({ minutes: 40.5, atLeast: false });
  });

  it('is right to within a bucket on many waits, and says "at least" past the last edge', () => {
    const waits = Array.from({ length: 1000 }, (_, i) => (i + 1) * 0.06); // 0.06 … 60 minutes, evenly
    const median = waitPercentile(buckets(...waits), 0.5)!;
    const p90 = waitPercentile(buckets(...waits), 0.9)!;
    expect(Math.abs(median.minutes - 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(p90.minutes - 54)).toBeLessThanOrEqual(2);
    expect(waitPercentile(buckets(5000, 6000), 0.5)).toEqual({ minutes: 4320, atLeast: true });
  });
});
