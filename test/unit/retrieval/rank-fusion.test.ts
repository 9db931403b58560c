import { describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../src/core/knowledge.js';
import { isForOtherGroups } from '../../../src/retrieval/eligibility.js';
import { parseDocument } from '../../../src/retrieval/knowledge-loader.js';
import { englishScore, fuse, ownScore, RRF_K, topicCoverage, type FusionWeights } from '../../../src/retrieval/rank-fusion.js';
import { passageWords } from '../../../src/retrieval/retrieval-confidence.js';
import { frontMatter } from '../../helpers/knowledge-fixture.js';

const weights: FusionWeights = { languageBoost: 1.3, englishVectorWeight: 0.75, englishLexicalWeight: 1.5, ungroundedWeight: 0.2, groundedWeight: 0.8, agreementWeight: 0.4 };

describe('rank fusion', () => {
  it('scores the first hit of each pass alike', () => {
    expect(ownScore({ vectorRank: 0, lexicalRank: 0 })).toBeCloseTo(2 / RRF_K);
    expect(englishScore({ englishVectorRank: 0, englishLexicalRank: 0 }, weights)).toBeCloseTo((0.75 + 1.5) / RRF_K);
    expect(englishScore({ englishLexicalRank: 0 }, weights)).toBeGreaterThan(englishScore({ englishLexicalRank: 3 }, weights));
  });

  it('is plain hybrid retrieval without an English pass', () => {
    expect(fuse({ own: 0.1, english: 0, inQuestionLanguage: true, coverage: 0 }, false, weights)).toBeCloseTo(0.13);
  });

  it('lets the English pass outrank a passage that matched the question only by its language', () => {
    const englishOnly = fuse({ own: 0, english: 0.1, inQuestionLanguage: false, coverage: 0 }, true, weights);
    const sameLanguageNoise = fuse({ own: 0.1, english: 0, inQuestionLanguage: true, coverage: 0 }, true, weights);
    expect(englishOnly).toBeGreaterThan(sameLanguageNoise);
  });

  it('ranks a translation that shares the topic and the English pass above its English original', () => {
    const translation = fuse({ own: 0.1, english: 0.1, inQuestionLanguage: true, coverage: 1 }, true, weights);
    const original = fuse({ own: 0, english: 0.1, inQuestionLanguage: false, coverage: 1 }, true, weights);
    expect(translation).toBeGreaterThan(original);
  });

  it('measures how many of the question topic words a passage holds, inflections included', () => {
    const words = passageWords('Die Anerkennung Ihres Diploms kostet Gebühren.');
    expect(topicCoverage([['anerkennung'], ['diplom']], words)).toBe(1);
    expect(topicCoverage([['anerkennung'], ['visum']], words)).toBe(0.5);
  });
});

describe('eligibility', () => {
  it('is read from the front matter and only when given', () => {
    const tagged = parseDocument(`${frontMatter({ id: 'shp', eligibility: 'asylum-seekers' })}\n## Text\nOnly with a voluntary return under REAG/GARP.\n`, 'en/shp.md');
    const plain = parseDocument(`${frontMatter({ id: 'plain' })}\n## Text\nFor every returnee, whatever the status.\n`, 'en/plain.md');
    expect(tagged.meta).toMatchObject({ eligibility: ['asylum-seekers'] });
    expect('eligibility' in plain.meta).toBe(false);
    expect(() => parseDocument(`${frontMatter({ id: 'bad', eligibility: 'Asylum Seekers' })}\n## Text\nSome text that is long enough.\n`, 'en/bad.md')).toThrow(/eligibility/);
  });

  it('marks a document for groups the question does not mention', () => {
    const meta = { eligibility: ['asylum-seekers'] } as unknown as DocumentMeta;
    expect(isForOtherGroups(meta, new Set())).toBe(true);
    expect(isForOtherGroups(meta, new Set(['asylum-seekers']))).toBe(false);
    expect(isForOtherGroups({} as DocumentMeta, new Set())).toBe(false);
  });
});
