import { readFileSync } from 'node:fs';
import path from 'node:path';
import MiniSearch, { type SearchResult } from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CompactBm25, oneEditApart, type MiniSearchJson } from '../../../src/retrieval/compact-bm25.js';
import { LexicalIndex, LEXICAL_OPTIONS, LEXICAL_SETTINGS, type LexicalEntry } from '../../../src/retrieval/lexical-index.js';
import { loadEvalQuestions } from '../../../src/retrieval/retrieval-eval.js';

/** Swaps two letters in longer words: typos the second, typo-tolerant pass is for. */
const typo = (text: string) => text.replace(/(\p{L})(\p{L})(\p{L}{4,})/gu, (_m, a: string, b: string, rest: string) => b + a + rest);

let json: string;
let miniSearch: MiniSearch<LexicalEntry>;
let compact: CompactBm25;
let texts: string[];

beforeAll(async () => {
  json = readFileSync(path.join(inject('indexDir'), 'lexical.json'), 'utf8');
  miniSearch = MiniSearch.loadJSON<LexicalEntry>(json, LEXICAL_OPTIONS);
  compact = CompactBm25.fromJSON(JSON.parse(json) as MiniSearchJson, LEXICAL_SETTINGS)!;
  const questions = (await loadEvalQuestions('test/fixtures/retrieval-questions')).map((q) => q.q);
  texts = [
    ...questions,
    ...questions.map(typo),
    // Halves of questions: words cut short are prefixes of indexed words.
    ...questions.map((q) => q.slice(0, Math.ceil(q.length / 2))),
    'germnay anerkenung chancenkarte',
    'card card points',
    'aufenthaltstitel aufenthalt aufenth',
    '',
    'the of and',
  ];
});

describe('the compact BM25 index', () => {
  it('is read from the index that npm run index writes', () => {
    expect(compact).toBeDefined();
  });

  it('returns exactly what MiniSearch returns: the same entries, in the same order, with the same scores and terms', () => {
    let compared = 0;
    for (const text of texts) {
      const boosts = new Map(text.split(/\s+/).map((word, i) => [word.toLowerCase(), 1 + (i % 3)]));
      for (const fuzzy of [false, true]) {
        for (const variant of ['plain', 'boosted', 'filtered'] as const) {
          const boostTerm = variant === 'plain' ? undefined : (term: string) => boosts.get(term) ?? 1;
          const accept = variant === 'filtered' ? (id: string) => id.length % 2 === 0 : undefined;
          const expected = miniSearch.search(text, {
            fuzzy: fuzzy ? LEXICAL_OPTIONS.searchOptions!.fuzzy : false,
            ...(boostTerm ? { boostTerm } : {}),
            ...(accept ? { filter: (hit: SearchResult) => accept(String(hit.id)) } : {}),
          });
          const got = compact.search(text, { fuzzy, boostTerm, accept });
          expect(got.total).toBe(expected.length);
          expect(got.hits.map((hit) => [hit.id, hit.score, hit.terms])).toEqual(expected.map((hit) => [String(hit.id), hit.score, hit.queryTerms]));
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('ranks by the plain sum of the terms as lexical-index did on MiniSearch (summed), and stops at the limit', () => {
    for (const text of texts.slice(0, 60)) {
      const expected = miniSearch
        .search(text, { fuzzy: false })
        .map((hit) => ({ ...hit, score: hit.score / Math.max(1, hit.queryTerms.length) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 40);
      const got = compact.search(text, { fuzzy: false, summed: true, limit: 40 });
      expect(got.hits.map((hit) => [hit.id, hit.score])).toEqual(expected.map((hit) => [String(hit.id), hit.score]));
    }
  });

  it('serves LexicalIndex: a loaded index and a freshly built one search alike', () => {
    const loaded = LexicalIndex.fromJSON(json);
    const entries: LexicalEntry[] = [
      { id: 'a#0', title: 'Opportunity Card', headings: 'Points', text: 'You need at least 6 points for the Opportunity Card.' },
      { id: 'b#0', title: 'Chancenkarte', headings: 'Punkte', text: 'Sie brauchen mindestens 6 Punkte für die Chancenkarte.' },
      { id: 'c#0', title: 'Blue Card', headings: 'Salary', text: 'The EU Blue Card needs a salary of at least 48,300 euros.' },
    ];
    const built = LexicalIndex.build(entries);
    const reloaded = LexicalIndex.fromJSON(built.toJSON());
    for (const text of ['opportunity card points', 'chancenkarte punkte', 'salary blue card', 'oportunity']) {
      expect(built.search(text, 5)).toEqual(reloaded.search(text, 5));
    }
    expect(loaded.search('Chancenkarte Punkte', 3).length).toBe(3);
    expect(() => loaded.toJSON()).toThrow(/not written again/);
  });
});

describe('oneEditApart', () => {
  it('is true for exactly one substitution, insertion or deletion', () => {
    expect(oneEditApart('germany', 'germnny')).toBe(true);
    expect(oneEditApart('germany', 'germay')).toBe(true);
    expect(oneEditApart('germay', 'germany')).toBe(true);
    expect(oneEditApart('germany', 'xgermany')).toBe(true);
    expect(oneEditApart('germany', 'germanyx')).toBe(true);
    expect(oneEditApart('germany', 'germany')).toBe(false);
    expect(oneEditApart('germany', 'gremany')).toBe(false);
    expect(oneEditApart('germany', 'germ')).toBe(false);
    expect(oneEditApart('', 'a')).toBe(true);
  });
});
