import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY, isSessionLive, sessionEndsAt } from '../../../src/handoff/advisors/console/sessions.js';

/** Seconds instead of hours: the same rules on a shortened clock. */
const policy = { idleMs: 8_000, absoluteMs: 24_000 };

describe('console session expiry', () => {
  it('defaults to 8 hours idle and 24 hours in all', () => {
    expect(DEFAULT_SESSION_POLICY).toEqual({ idleMs: 8 * 3_600_000, absoluteMs: 24 * 3_600_000 });
  });

  it('ends a session left idle for the idle time', () => {
    const session = { createdAt: 1_000, lastSeenAt: 1_000 };
    expect(isSessionLive(session, 1_000 + 7_999, policy)).toBe(true);
    expect(isSessionLive(session, 1_000 + 8_000, policy)).toBe(false);
  });

  it('moves the idle end on with activity, but never past the absolute end', () => {
    let session = { createdAt: 0, lastSeenAt: 0 };
    for (let now = 5_000; now <= 20_000; now += 5_000) {
      expect(isSessionLive(session, now, policy)).toBe(true);
      session = { ...session, lastSeenAt: now };
    }
    expect(sessionEndsAt(session, policy)).toBe(24_000);
    expect(isSessionLive(session, 23_999, policy)).toBe(true);
    expect(isSessionLive(session, 24_000, policy)).toBe(false);
  });
});
