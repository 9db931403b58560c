import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may read /metrics: everyone without METRICS_TOKEN (a private network, a scraper on the same
 * host), only a scraper sending "Authorization: Bearer <token>" with it. The counts name no person,
 * but they tell an outsider how busy a centre is and how long its cases wait.
 */
export function metricsAccess(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  // Compared as hashes: equal lengths for timingSafeEqual, and the token's length is not revealed.
  const expected = digest(token);
  return (authorization) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** What a refused scrape is told (with WWW-Authenticate: Bearer). */
export const METRICS_REFUSED = 'metrics: send the METRICS_TOKEN as "Authorization: Bearer <token>" (Prometheus: authorization.credentials in the scrape config)\n';
