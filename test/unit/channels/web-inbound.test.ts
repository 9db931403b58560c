import { describe, expect, it } from 'vitest';
import { describeIssues, toInboundMessage, webMessageSchema } from '../../../src/channels/web/inbound.js';
import { MAX_TEXT_LENGTH } from '../../../src/core/message.js';

const SESSION = 'a'.repeat(40);

describe('what the web chat page posts', () => {
  it('becomes an inbound message of the cookie session', () => {
    const body = webMessageSchema.parse({ id: 'm-1', text: 'Hallo', action: 'choice:yes', lang: 'de-DE' });
    expect(toInboundMessage(SESSION, body)).toMatchObject({ id: `web:${SESSION}:m-1`, channel: 'web', userId: SESSION, kind: 'text', text: 'Hallo', action: 'choice:yes', localeHint: 'de-DE' });
    expect(toInboundMessage(SESSION, body)).not.toHaveProperty('truncated');
  });

  it('keeps the browser language as a hint when it reads as a language tag, and drops it otherwise', () => {
    const hint = (lang: string) => toInboundMessage(SESSION, webMessageSchema.parse({ id: 'm', text: 'x', lang })).localeHint;
    expect([hint('fr-FR'), hint('en_US'), hint('es-419'), hint('english please'), hint('')]).toEqual(['fr-FR', 'en-US', 'es-419', undefined, undefined]);
  });

  it('is cut, not refused, when too long, and marked so', () => {
    const message = toInboundMessage(SESSION, webMessageSchema.parse({ id: 'm', text: 'ü'.repeat(MAX_TEXT_LENGTH + 10) }));
    expect(message).toMatchObject({ truncated: true });
    expect(message.text).toHaveLength(MAX_TEXT_LENGTH);
  });

  it('is refused with a short reason naming the field when it has the wrong shape', () => {
    const cases: [unknown, RegExp][] = [
      [{ session: SESSION, id: 'm', text: 'x' }, /Unrecognized key.*session/],
      [{ id: 'm', text: 3 }, /^text: /],
      [{ text: 'x' }, /^id: /],
      [{ id: 'm', text: 'x', action: 'a'.repeat(65) }, /^action: /],
      [{ id: 'm', text: 'x', lang: 7 }, /^lang: /],
      ['text', /^body: /],
      [null, /^body: /],
    ];
    for (const [body, reason] of cases) {
      const parsed = webMessageSchema.safeParse(body);
      expect(parsed.success).toBe(false);
      if (!parsed.success) {
        expect(describeIssues(parsed.error)).toMatch(reason);
        expect(describeIssues(parsed.error).length).toBeLessThanOrEqual(300);
      }
    }
  });
});
