import { describe, expect, it } from 'vitest';
import { csrfTokenMatches, isCrossSite } from '../../../src/handoff/advisors/console/csrf.js';
import { randomToken } from '../../../src/handoff/advisors/console/sessions.js';

describe('console CSRF tokens', () => {
  it('matches only the same token', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, randomToken())).toBe(false);
    expect(csrfTokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(csrfTokenMatches(token, `${token}x`)).toBe(false);
    expect(csrfTokenMatches(token, token.toUpperCase())).toBe(token === token.toUpperCase());
  });

  it('refuses what is no token at all', () => {
    const token = randomToken();
    for (const sent of [undefined, '', [token], 42, null, 'x'.repeat(300)]) expect(csrfTokenMatches(token, sent)).toBe(false);
    expect(csrfTokenMatches('', '')).toBe(false);
  });

  it('sees requests the browser marks as coming from another site', () => {
    expect(isCrossSite({ 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(isCrossSite({ 'sec-fetch-site': 'same-site' })).toBe(true);
    expect(isCrossSite({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isCrossSite({ 'sec-fetch-site': 'none' })).toBe(false);
    expect(isCrossSite({})).toBe(false);
  });
});
