/**
 * The most of these times (ms) that fall within any one window (a second by default): a rate limit
 * held means at most the limit. Times taken where messages arrive carry the delivery's jitter; a
 * test under a loaded machine may allow for it with a slightly shorter window.
 */
export function maxInAnySecond(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
