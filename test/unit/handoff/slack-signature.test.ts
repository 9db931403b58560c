import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { checkSlackSignature, slackSignature } from '../../../src/handoff/advisors/slack/signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070');
const now = 1_700_000_000_000;
const ts = String(now / 1000);

describe('Slack request signatures', () => {
  it('accepts a request signed with the secret within five minutes', () => {
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, ts, body), timestamp: ts, rawBody: body }, now)).toEqual({ ok: true });
    const fourMinutesAgo = String(now / 1000 - 240);
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, fourMinutesAgo, body), timestamp: fourMinutesAgo, rawBody: body }, now).ok).toBe(true);
  });

  it('signs as Slack does: Bolt\'s own verifier accepts our signatures and rejects what we reject', () => {
    const signature = slackSignature(secret, ts, body);
    const bolt = (sig: string, at: string) => isValidSlackRequest({ signingSecret: secret, body: body.toString(), headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': Number(at) }, nowMilliseconds: now });
    expect(bolt(signature, ts)).toBe(true);
    expect(bolt(slackSignature('another-secret', ts, body), ts)).toBe(false);
    const old = String(now / 1000 - 301);
    expect(bolt(slackSignature(secret, old, body), old)).toBe(false);
  });

  it('refuses a forged signature, another secret, or a changed body', () => {
    const forged = `v0=${'0'.repeat(64)}`;
    expect(checkSlackSignature(secret, { signature: forged, timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkSlackSignature(secret, { signature: slackSignature('another-secret', ts, body), timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, ts, body), timestamp: ts, rawBody: Buffer.concat([body, Buffer.from('&x=1')]) }, now)).toEqual({ ok: false, reason: 'mismatch' });
    // The timestamp is signed too: moving it forward breaks the signature.
    const later = String(now / 1000 + 1);
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, ts, body), timestamp: later, rawBody: body }, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a stale or far-future timestamp even when the signature is right (no replays)', () => {
    const old = String(now / 1000 - 301);
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, old, body), timestamp: old, rawBody: body }, now)).toEqual({ ok: false, reason: 'stale' });
    const future = String(now / 1000 + 301);
    expect(checkSlackSignature(secret, { signature: slackSignature(secret, future, body), timestamp: future, rawBody: body }, now)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses missing and malformed headers', () => {
    const signature = slackSignature(secret, ts, body);
    expect(checkSlackSignature(secret, { signature: undefined, timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkSlackSignature(secret, { signature, timestamp: undefined, rawBody: body }, now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkSlackSignature(secret, { signature: [signature, signature], timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkSlackSignature(secret, { signature: signature.replace('v0=', 'v1='), timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkSlackSignature(secret, { signature, timestamp: '1.5e9', rawBody: body }, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkSlackSignature(secret, { signature: signature.slice(0, -2), timestamp: ts, rawBody: body }, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
