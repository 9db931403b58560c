import { describe, expect, it } from 'vitest';
import { answerQuestionSchema, evaluateAnswers, formatAnswerReport, mentions, wordsBeforeSources } from '../../../src/answering/answer-eval.js';

describe('the answer-level evaluation', () => {
  it('finds a fact only as a whole token, with case, accents and scripts folded', () => {
    expect(mentions('You need at least 6 points.', '6')).toBe(true);
    expect(mentions('You need 16 points.', '6')).toBe(false);
    expect(mentions('Niveau B1 requis', 'b1')).toBe(true);
    expect(mentions('la Carte des Chances', 'carte des chances')).toBe(true);
    expect(mentions('Anerkennung dauert bis zu drei Monate', 'Monate')).toBe(true);
    expect(mentions('prix: 1.027 €', '1.027')).toBe(true);
  });

  it('counts the words before the sources only', () => {
    expect(wordsBeforeSources('You need at least 6 points.\n\nSources:\n[1] Points, as of 2026-11-22: https://x')).toBe(6);
    expect(wordsBeforeSources('No sources here at all')).toBe(5);
  });

  it('checks every required fact and no forbidden one, per language', async () => {
    const questions = [
      answerQuestionSchema.parse({ q: 'points?', lang: 'en', facts: [['6', 'six']] }),
      answerQuestionSchema.parse({ q: 'level?', lang: 'en', facts: [['A1'], ['B2']] }),
      answerQuestionSchema.parse({ q: 'Blue Card?', lang: 'de', facts: [['48.300', '48,300']], must_not: ['45.300'] }),
      answerQuestionSchema.parse({ q: 'weather?', lang: 'de', facts: [['sunny']] }),
    ];
    const answers: Record<string, { text: string; escalated: null | 'low_confidence' }> = {
      'points?': { text: 'At least six points.', escalated: null },
      'level?': { text: 'German A1.', escalated: null },
      'Blue Card?': { text: 'Es sind 48.300 Euro (früher hieß es 45.300).', escalated: null },
      'weather?': { text: '', escalated: 'low_confidence' },
    };
    const report = await evaluateAnswers(async (question) => answers[question.q]!, questions);
    expect(report.all.answered).toEqual({ found: 3, of: 4 });
    expect(report.all.right).toEqual({ found: 1, of: 4 });
    expect(report.all.wrongFact).toBe(1);
    expect(report.byLanguage.en!.right).toEqual({ found: 1, of: 2 });
    expect(report.byLanguage.de!.answered).toEqual({ found: 1, of: 2 });
    expect(report.all.within80).toEqual({ found: 3, of: 3 });
    expect(formatAnswerReport(report)).toMatch(/all\s+answered 3\/4 \(75%\)\s+right 1\/4 \(25%\)/);
  });
});
