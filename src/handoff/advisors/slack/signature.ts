import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses requests older than five minutes; so do we, so that a captured request cannot be replayed later. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface SignedRequest {
  /** The `x-slack-signature` header: `v0=` and the hex HMAC-SHA256. */
  signature: string | string[] | undefined;
  /** The `x-slack-request-timestamp` header: Unix seconds. */
  timestamp: string | string[] | undefined;
  /** The body exactly as it arrived: re-serialised JSON would not match. */
  rawBody: Buffer;
}

/** The `v0=<hex>` signature Slack puts on a request (also used by the tests to sign as Slack does). */
export function slackSignature(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Checks a request against the signing secret: HMAC-SHA256 of `v0:{timestamp}:{body}`, compared in
 * constant time, and a timestamp within five minutes of now either way.
 */
export function checkSlackSignature(signingSecret: string, request: SignedRequest, nowMs = Date.now()): SignatureCheck {
  const { signature, timestamp } = request;
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
