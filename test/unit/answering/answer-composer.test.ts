import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../../src/answering/answer-composer.js';
import { answerUnits, sentencesOf } from '../../../src/answering/answer-units.js';
import { questionKind } from '../../../src/answering/question-kind.js';
import type { DocumentMeta, Passage } from '../../../src/core/knowledge.js';

const meta = (id: string, language: DocumentMeta['language'] = 'en'): DocumentMeta => ({
  id, baseId: id, title: `Title ${id}`, language, sourceUrls: [`https://example.org/${id}`],
  asOf: '2026-11-22', reviewBy: '2027-06-30', countries: ['all'], audience: 'all', topics: [], file: `${language}/${id}.md`,
});
const passage = (id: string, text: string, score = 1, language: DocumentMeta['language'] = 'en', headings = ['Heading']): Passage => ({
  chunk: { id: `${id}#0`, docId: id, headings, text }, meta: meta(id, language), score, stale: false,
});
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
/** Every sentence and list item of an answer is one of the passage's own (nothing written by Lotse). */
const fromSources = (body: string, passages: Passage[]) => {
  const source = passages.map((p) => p.chunk.text).join('\n');
  return body
    .split('\n')
    .map((line) => line.replace(/^(- |\d+\. )/, '').trim())
    .filter(Boolean)
    .flatMap((line) => sentencesOf(line))
    .every((sentence) => source.includes(sentence));
};

const BLUE_CARD = passage(
  'eu-blue-card',
  [
    'The EU Blue Card is a residence permit for people with a university degree and a qualified job offer.',
    'For the EU Blue Card you do not need German at entry. It gives good conditions for your family.',
    '',
    'The salary thresholds change every year:',
    '- In 2026, the standard threshold is €50,700 gross a year.',
    '- In 2025, the standard threshold was €48,300 gross a year.',
    '',
    'Family members may work without restriction.',
  ].join('\n'),
);

describe('question kinds', () => {
  it('tells amounts, dates, lists and how-to questions apart in several languages', () => {
    expect(questionKind('How much must I earn for the Blue Card?')).toBe('amount');
    expect(questionKind('Combien coûte le visa ?')).toBe('amount');
    expect(questionKind('كم راتب البطاقة الزرقاء؟')).toBe('amount');
    expect(questionKind('Wie lange dauert die Anerkennung?')).toBe('date');
    expect(questionKind('Which countries have a centre?')).toBe('list');
    expect(questionKind('Bagaimana cara mendaftar visa?')).toBe('how');
    expect(questionKind('Is the Blue Card good for my family?')).toBe('general');
  });
});

describe('answer units', () => {
  it('keeps a list with its lead-in, turns a table into a list, and does not cut after abbreviations or dates', () => {
    const units = answerUnits('You need:\n- a degree\n- a job\n\n| Year | Amount |\n|---|---|\n| 2026 | €50,700 |\n\nSee e.g. the ZAB. It started on 1. März 2024. Then more.');
    expect(units[0]).toMatchObject({ kind: 'list', text: 'You need:', items: ['a degree', 'a job'] });
    expect(units[1]).toMatchObject({ kind: 'list', items: ['2026: Amount: €50,700'] });
    expect(units.slice(2).map((u) => u.text)).toEqual(['See e.g. the ZAB.', 'It started on 1. März 2024.', 'Then more.']);
  });
});

describe('composeAnswer', () => {
  it('answers an amount with this year\'s figure and what it applies to, not last year\'s', () => {
    const answer = composeAnswer('How much must I earn for the EU Blue Card?', [BLUE_CARD], { year: 2026 });
    expect(answer.kind).toBe('amount');
    expect(answer.body).toContain('€50,700');
    expect(answer.body).toContain('The salary thresholds change every year:');
    expect(answer.body).not.toContain('€48,300');
    expect(fromSources(answer.body, [BLUE_CARD])).toBe(true);
  });

  it('answers a question about one year with that year\'s figure only', () => {
    const wage = passage('working', 'In 2026 the statutory minimum wage is €13.90 gross per hour. Employers must pay at least the minimum wage. From 1 January 2027 the minimum wage is set to rise to €14.60 gross per hour.');
    const answer = composeAnswer('minimum wage 2027 how much?', [wage], { year: 2026 });
    expect(answer.body).toContain('€14.60');
    expect(answer.body).not.toContain('€13.90');
  });

  it('stays within about 80 words and keeps the rest for "more"', () => {
    const long = passage('long', Array.from({ length: 30 }, (_, i) => `The Opportunity Card rule number ${i + 1} says something about points and funds.`).join(' '));
    const answer = composeAnswer('What are the rules of the Opportunity Card?', [long]);
    expect(words(answer.body)).toBeLessThanOrEqual(80);
    expect(answer.more).toBeDefined();
    expect(fromSources(answer.body, [long])).toBe(true);
  });

  it('gives numbered steps for a how-to question', () => {
    const steps = passage('visa', 'Apply for the national visa at the German mission.\n\nThe steps:\n1. Book an appointment.\n2. Bring the documents.\n3. Pay the fee.\n\nAppointments are free.');
    const answer = composeAnswer('How do I apply for the visa?', [steps]);
    expect(answer.body).toMatch(/1\. Book an appointment\.\n2\. Bring the documents\.\n3\. Pay the fee\./);
  });

  it('prefers a passage in the user\'s language, and one in another language only when it answers clearly better', () => {
    const fr = passage('card-fr', 'La carte bleue est un titre de séjour.', 1, 'fr');
    const en = passage('card', 'In 2026, the EU Blue Card threshold is €50,700 gross a year.', 0.9);
    expect(composeAnswer('Qu\'est-ce que la carte bleue ?', [fr, en], { language: 'fr' }).used[0]!.meta.id).toBe('card-fr');
    expect(composeAnswer('Combien faut-il gagner pour la carte bleue ?', [fr, en], { language: 'fr' }).used[0]!.meta.id).toBe('card');
  });

  it('drops cross-references between documents that mean nothing to a reader', () => {
    const p = passage('pam', 'PAM works in Jordan (see centres-for-migration-and-development). It trains bakers.');
    expect(composeAnswer('Where does PAM work?', [p]).body).not.toContain('see centres');
  });
});
