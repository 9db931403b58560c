import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/core/knowledge.js';
import { consentedUser, testEngine } from '../../helpers/engine.js';

describe('questions Lotse is not for', () => {
  it('get an honest reply with what Lotse can do, in every language: no knowledge answer, no case but for danger', async () => {
    const outOfScope = JSON.parse(readFileSync('test/fixtures/out-of-scope.json', 'utf8')) as { q: string; lang: Language }[];
    expect(new Set(outOfScope.map((q) => q.lang))).toEqual(new Set(LANGUAGES));
    const engine = await testEngine();
    let n = 0;
    for (const q of outOfScope) {
      const u = await consentedUser(engine, `oos${++n}`);
      const result = await u.send(q.q, { localeHint: q.lang });
      // Danger outranks scope by design (a missed danger is the worst failure): the safety screen may
      // still hand a message over. Nothing else may: not the scope, not a "sensitive" reading of it.
      expect([undefined, 'safety'], q.q).toContain(result.escalation?.reason);
      expect(result.answer === undefined || result.answer.escalate, `${q.q} got a knowledge answer`).toBe(true);
      expect(result.replies.length, q.q).toBeGreaterThan(0);
    }
  });
});

describe('short questions on Lotse\'s topics', () => {
  it('are answered, not taken for small talk or "not for me", because they name a topic', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'topical');
    for (const text of ['Anmeldung?', 'tax id?', 'Is there an express visa?']) {
      const result = await u.send(text);
      expect(result.answer?.escalate, text).toBe(false);
    }
  });
});
