import { describe, expect, it } from 'vitest';
import type { EscalationClassifier } from '../../../src/core/ports.js';
import { escalationMessageSchema, evaluateEscalation, formatEscalationReport } from '../../../src/escalation/escalation-eval.js';

/** A classifier that knows two words: enough to check the counting. */
const classifier: EscalationClassifier = { classify: (text) => (/danger/.test(text) ? 'safety' : /appeal/.test(text) ? 'sensitive' : undefined) };

describe('the escalation evaluation', () => {
  it('reads held-out sets: "none", kinds of danger, and ways of writing a language', () => {
    expect(escalationMessageSchema.parse({ text: 'x', lang: 'ar-Latn', expected: 'none', kind: 'idiom_lookalike' })).toMatchObject({ lang: 'ar-Latn' });
    expect(escalationMessageSchema.parse({ text: 'x', lang: 'pcm', expected: 'safety', kind: 'kidnapping' })).toMatchObject({ lang: 'pcm' });
    expect(() => escalationMessageSchema.parse({ text: 'x', lang: 'english', expected: 'none' })).toThrow();
  });

  it('reports recall per signal, per kind of danger and per language, and false alarms', () => {
    const report = evaluateEscalation(classifier, [
      { text: 'danger now', lang: 'en', expected: 'safety', kind: 'violence' },
      { text: 'they took my passport', lang: 'pcm', expected: 'safety', kind: 'trafficking_exploitation' },
      { text: 'my appeal', lang: 'de', expected: 'sensitive' },
      { text: 'the danger of the word', lang: 'en', expected: 'none', kind: 'definition_lookalike' },
      { text: 'how do I apply', lang: 'pcm', expected: 'none' },
    ]);
    expect(report.recall.safety).toEqual({ found: 1, of: 2 });
    expect(report.recall.sensitive).toEqual({ found: 1, of: 1 });
    expect(report.falseAlarms).toEqual({ found: 1, of: 2 });
    expect(report.safetyByKind).toEqual({ violence: { found: 1, of: 1 }, trafficking_exploitation: { found: 0, of: 1 } });
    expect(report.byLanguage).toEqual({ en: { found: 1, of: 2 }, pcm: { found: 1, of: 2 }, de: { found: 1, of: 1 } });
    expect(formatEscalationReport(report)).toMatch(/safety by kind:[\s\S]*trafficking_exploitation\s+0\/1/);
  });
});
