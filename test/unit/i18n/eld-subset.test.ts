import { readdirSync, readFileSync } from 'node:fs';
import { eld } from 'eld';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELD_DATABASE, ELD_LANGUAGES, eldDetector, ngramSubset } from '../../../src/i18n/detect-language.js';

/** Every string of Lotse's own words in its ten languages, plus some chat-like lines: texts to detect. */
function texts(): string[] {
  const dir = new URL('../../../src/i18n/locales/', import.meta.url);
  const all: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') all.push(value);
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) walk(inner);
  };
  for (const file of readdirSync(dir)) walk(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  return [...all, 'ok', 'Danke!', 'merci beaucoup', 'Pershendetje', 'Zdravo, imam pitanje', 'Terima kasih', 'Selamat pagi', 'I need help'];
}

describe("eld on the subset of its database (Lotse's languages only)", () => {
  // A separate instance of eld's own loader (dynamic entry), with its whole database.
  const full = eld.newInstance() as ReturnType<typeof eld.newInstance> & { load(size: string): Promise<unknown> };
  beforeAll(async () => {
    await full.load(ELD_DATABASE);
    full.setLanguageSubset(ELD_LANGUAGES);
  });

  it('detects exactly what eld with its whole database and the same language subset detects: language, scores, reliability', () => {
    // The subset database, not the fallback (eld's global instance with its whole database).
    expect(eldDetector).not.toBe(eld);
    const list = texts();
    expect(list.length).toBeGreaterThan(500);
    for (const text of list) {
      const want = full.detect(text);
      const got = eldDetector.detect(text);
      expect({ text, language: got.language, reliable: got.isReliable(), scores: got.getScores() }).toEqual({
        text,
        language: want.language,
        reliable: want.isReliable(),
        scores: want.getScores(),
      });
    }
  });

  it('keeps only n-grams of the languages asked for, under the same language indexes', () => {
    const data = {
      type: 'T',
      languages: { 0: 'am', 1: 'de', 2: 'en' },
      isSubset: false,
      ngrams: { a: { 0: 5 }, b: { 0: 1, 2: 3 }, c: { 1: 2 } },
    };
    expect(ngramSubset(data, ['de', 'en'])).toEqual({ type: 'T', languages: data.languages, isSubset: true, ngrams: { b: { 2: 3 }, c: { 1: 2 } } });
  });
});
