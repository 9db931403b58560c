import { createHash, timingSafeEqual } from 'node:crypto';

/** The header the page sends its session's CSRF token in; a form or a link on another site cannot set it. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Whether the token sent matches the session's, in constant time. Both are hashed first, so that
 * the comparison takes as long whatever the lengths (timingSafeEqual needs equal lengths, and an
 * early length check would tell an attacker the token's length).
 */
export function csrfTokenMatches(expected: string, sent: unknown): boolean {
  if (typeof sent !== 'string' || sent.length === 0 || sent.length > 256 || expected.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(sent).digest();
  return timingSafeEqual(a, b);
}

/**
 * A request the browser says came from another site (Sec-Fetch-Site, sent by every current
 * browser): refused before anything else, a second line behind SameSite=Strict and the token.
 */
export function isCrossSite(headers: Record<string, string | string[] | undefined>): boolean {
  const site = headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}
