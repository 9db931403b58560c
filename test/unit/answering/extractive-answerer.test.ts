import { describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../src/answering/extractive-answerer.js';
import type { DocumentMeta, Passage, RetrievalResult } from '../../../src/core/knowledge.js';
import { Messages } from '../../../src/i18n/i18n.js';

const meta = (id: string, language: DocumentMeta['language'], extra: Partial<DocumentMeta> = {}): DocumentMeta => ({
  id, baseId: id.replace(/-(de|fr|ar)$/, ''), title: `Title ${id}`, language, sourceUrls: [`https://example.org/${id}`],
  asOf: '2026-11-22', reviewBy: '2027-06-30', countries: ['all'], audience: 'all', topics: [], file: `${language}/${id}.md`, ...extra,
});
const passage = (m: DocumentMeta, text: string, score: number, stale = false): Passage => ({
  chunk: { id: `${m.id}#0`, docId: m.id, headings: ['Heading'], text }, meta: m, score, stale,
});
const result = (passages: Passage[], confident = true): RetrievalResult => ({ passages, confidence: confident ? 0.8 : 0.1, confident });
const answerer = new ExtractiveAnswerer(Messages.create());

describe('ExtractiveAnswerer', () => {
  it('quotes the best passage, framed in the user language, with numbered sources and as-of dates', () => {
    const a = answerer.answer('Punkte?', 'de', result([passage(meta('points-de', 'de'), 'Sie brauchen mindestens 6 Punkte.', 1)]));
    expect(a).toMatchObject({ language: 'de', escalate: false, reason: null });
    expect(a.body).toBe('Sie brauchen mindestens 6 Punkte.');
    expect(a.answer).toContain('Sie brauchen mindestens 6 Punkte.');
    expect(a.answer).toContain('Quellen:');
    expect(a.answer).toContain('[1] Title points-de, Stand 2026-11-22: https://example.org/points-de');
    expect(a.sources).toEqual([{ id: 'points-de', title: 'Title points-de', url: 'https://example.org/points-de', asOf: '2026-11-22' }]);
  });

  it('prefers passages in the user language and says so when only another language has the answer', () => {
    const en = passage(meta('points', 'en'), 'You need at least 6 points.', 1);
    const de = passage(meta('points-de', 'de'), 'Sie brauchen mindestens 6 Punkte.', 0.9);
    expect(answerer.answer('q', 'de', result([en, de])).sources[0]!.id).toBe('points-de');
    const onlyEnglish = answerer.answer('q', 'vi', result([en]));
    expect(onlyEnglish.answer).toContain('tiếng Anh');
    expect(onlyEnglish.answer).toContain('You need at least 6 points.');
  });

  it('warns when a source is past its review date', () => {
    const a = answerer.answer('q', 'en', result([passage(meta('old', 'en'), 'Old threshold text.', 1, true)]));
    expect(a.answer).toContain('may be out of date');
  });

  it('escalates with low_confidence and cites nothing when retrieval is not confident', () => {
    const a = answerer.answer('q', 'fr', result([passage(meta('x', 'en'), 'text', 1)], false));
    expect(a).toMatchObject({ escalate: true, reason: 'low_confidence', sources: [] });
    expect(a.answer).toContain('Un conseiller peut vous aider');
  });
});

