import { describe, expect, it } from 'vitest';
import { escalationMessageSchema, evaluateEscalation, formatEscalationReport, type EscalationSubject } from '../../../src/escalation/escalation-eval.js';

/** A screen that knows two words, and a turn that sends "danger" and anything with "help" to a human: enough to check the counting. */
const subject: EscalationSubject = {
  screen: async ({ text }) => (/danger/.test(text) ? { reason: 'safety', danger: 'violence' } : /appeal/.test(text) ? { reason: 'sensitive' } : { reason: null }),
  turn: async ({ text }) => (/danger|passport/.test(text) ? 'safety' : /help|appeal/.test(text) ? 'low_confidence' : null),
};

describe('the escalation evaluation', () => {
  it('reads held-out sets: "none", kinds of danger, and ways of writing a language', () => {
    expect(escalationMessageSchema.parse({ text: 'x', lang: 'ar-Latn', expected: 'none', kind: 'idiom_lookalike' })).toMatchObject({ lang: 'ar-Latn' });
    expect(escalationMessageSchema.parse({ text: 'x', lang: 'pcm', expected: 'safety', kind: 'kidnapping' })).toMatchObject({ lang: 'pcm' });
    expect(() => escalationMessageSchema.parse({ text: 'x', lang: 'english', expected: 'none' })).toThrow();
  });

  it('reports recall per signal, per kind of danger and per language, false alarms, and what the whole turn did', async () => {
    const report = await evaluateEscalation(subject, [
      { text: 'danger now', lang: 'en', expected: 'safety', kind: 'violence' },
      { text: 'they took my passport', lang: 'pcm', expected: 'safety', kind: 'trafficking_exploitation' },
      { text: 'danger in my room', lang: 'fr', expected: 'safety', kind: 'sexual_harassment_abuse' },
      { text: 'my appeal', lang: 'de', expected: 'sensitive' },
      { text: 'the danger of the word', lang: 'en', expected: 'none', kind: 'definition_lookalike' },
      { text: 'how do I apply, help', lang: 'pcm', expected: 'none' },
    ]);
    expect(report.recall.safety).toEqual({ found: 2, of: 3 });
    expect(report.recall.sensitive).toEqual({ found: 1, of: 1 });
    expect(report.falseAlarms).toEqual({ found: 1, of: 2 });
    expect(report.kindNamed).toEqual({ found: 1, of: 2 });
    expect(report.safetyByKind).toEqual({ violence: { found: 1, of: 1 }, trafficking_exploitation: { found: 0, of: 1 }, sexual_harassment_abuse: { found: 1, of: 1 } });
    expect(report.byLanguage).toEqual({ en: { found: 1, of: 2 }, pcm: { found: 1, of: 2 }, de: { found: 1, of: 1 }, fr: { found: 1, of: 1 } });
    // The passport message was missed by the screen but still reached a human with the contacts.
    expect(report.reachedWithContacts).toEqual({ found: 3, of: 3 });
    expect(report.reachedHuman).toEqual({ found: 1, of: 1 });
    expect(report.ordinaryToHuman).toEqual({ found: 2, of: 2 });
    expect(report.ordinaryToHumanBy).toEqual({ safety: 1, low_confidence: 1 });
    expect(report.missedAs).toEqual({ safety: { none: 1 } });
    expect(formatEscalationReport(report)).toMatch(/safety by kind:[\s\S]*trafficking_exploitation\s+0\/1/);
    expect(formatEscalationReport(report)).toMatch(/danger reached a human \+ contacts\s+3\/3 \(100%\)/);
  });
});
