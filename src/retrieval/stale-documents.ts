import type { DocumentMeta } from '../core/knowledge.js';

/** Today's date as YYYY-MM-DD (UTC), the form front matter uses. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** True when a document is past its review-by date: still used, but answers warn that it may be out of date. */
export function isStale(meta: Pick<DocumentMeta, 'reviewBy'>, today: string = isoToday()): boolean {
  return meta.reviewBy < today;
}
