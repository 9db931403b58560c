import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { englishQuery } from '../../../src/retrieval/query-expansion.js';
import { LEXICON_FILE, loadLexicon, QueryLexicon, type LexiconConcept } from '../../../src/retrieval/query-lexicon.js';
import { knowledgeFolder } from '../../helpers/knowledge-fixture.js';

const empty = { en: [], de: [], fr: [], ar: [], es: [], sq: [], sr: [], vi: [], ur: [], id: [] };
const concept = (fields: Partial<LexiconConcept> & { to: string }): LexiconConcept => ({ centre: false, names: [], ...empty, ...fields });

const lexicon = new QueryLexicon([
  concept({ to: 'nurse nursing', fr: ['infirmi*'], de: ['pflegefachkraft*'], ar: ['ممرض*'], sr: ['medicinsk* sestr*'], vi: ['dieu duong'] }),
  concept({ to: 'family reunification', ar: ['لم الشمل'], vi: ['đoàn tụ gia đình'] }),
  concept({ to: 'asylum seekers', mentions: 'asylum-seekers', en: ['asylum'], de: ['asyl*'] }),
  concept({ to: 'centre advice office', centre: true, fr: ['centre', 'bureau'] }),
  concept({ to: 'triple win', names: ['triple-win'], ar: ['تربل وين'] }),
  concept({ to: 'age aged', fr: ['# ans'], sr: ['# godina'] }),
  concept({ to: 'centres for migration and development', sr: ['dimak'] }),
]);
const named = (text: string) => lexicon.match(text).concepts.map((c) => c.to);

describe('QueryLexicon', () => {
  it('finds concepts whatever the case, accents and inflection', () => {
    expect(named("Quel niveau d'allemand pour une INFIRMIÈRE ?")).toEqual(['nurse nursing']);
    expect(named('Ich bin Pflegefachkraft aus Indien')).toEqual(['nurse nursing']);
    expect(named('Ja sam medicinska sestra')).toEqual(['nurse nursing']);
  });

  it('reads Arabic words with their article or a one-letter prefix', () => {
    expect(named('انا ممرضة')).toEqual(['nurse nursing']);
    expect(named('هل يمكنني لمّ الشمل مع زوجتي؟')).toEqual(['family reunification']);
    expect(named('شو هو برنامج تربل وين؟')).toEqual(['triple win']);
  });

  it('reads Serbian Cyrillic as Latin and Vietnamese with or without tones and đ', () => {
    expect(named('Где је ДИМАК?')).toEqual(['centres for migration and development']);
    expect(named('đoàn tụ gia đình')).toEqual(['family reunification']);
    expect(named('doan tu gia dinh voi vo con')).toEqual(['family reunification']);
    expect(named('Tôi là điều dưỡng')).toEqual(['nurse nursing']);
  });

  it('matches a form of several words only when they stand together', () => {
    expect(named('dieu kien duong')).toEqual([]);
  });

  it('reads # as an age of two digits', () => {
    expect(named("j'ai 46 ans")).toEqual(['age aged']);
    expect(named('Imam 50 godina')).toEqual(['age aged']);
    expect(named('il y a 3 ans')).toEqual([]);
  });

  it('says what the concepts tell ranking: groups mentioned, a centre asked for, documents named', () => {
    const match = lexicon.match('Je cherche le bureau pour un demandeur: Asylverfahren, et Triple Win? تربل وين');
    expect(match.mentions).toEqual(new Set(['asylum-seekers']));
    expect(match.centre).toBe(true);
    expect(match.names).toEqual(new Set(['triple-win']));
    expect(lexicon.match('help after my return')).toMatchObject({ centre: false, mentions: new Set() });
  });
});

describe('englishQuery', () => {
  const englishWords = new Set(['dakar', 'senegal', 'b2', 'centre', '45']);

  it('is the concepts in English plus the names English passages use, names weighing most', () => {
    const query = englishQuery('Où est le centre à Dakar ?', lexicon.match('Où est le centre à Dakar ?'), englishWords)!;
    expect(query.text.split(' ')).toEqual(expect.arrayContaining(['centre', 'advice', 'office', 'dakar']));
    expect(query.weights.get('dakar')).toBe(3);
    // "centre" was read by the lexicon: it counts as a concept's word, not as a name.
    expect(query.weights.get('centre')).toBeLessThan(1);
  });

  it('is undefined when the question names no concept', () => {
    expect(englishQuery('Quelle est la capitale de l’Australie ?', lexicon.match('Quelle est la capitale de l’Australie ?'), englishWords)).toBeUndefined();
  });

  it('adds the age line of 45 for an age at or over it', () => {
    expect(englishQuery("j'ai 47 ans", lexicon.match("j'ai 47 ans"), englishWords)!.weights.has('45')).toBe(true);
    expect(englishQuery("j'ai 29 ans", lexicon.match("j'ai 29 ans"), englishWords)!.weights.has('45')).toBe(false);
  });
});

describe('loadLexicon', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('reads the real lexicon without problems, every language present', async () => {
    const { concepts, problems } = await loadLexicon('knowledge');
    expect(problems).toEqual([]);
    expect(concepts.length).toBeGreaterThan(80);
    for (const language of ['de', 'fr', 'ar', 'es', 'sq', 'sr', 'vi', 'ur', 'id'] as const) {
      expect(concepts.filter((c) => c[language].length > 0).length, language).toBeGreaterThan(40);
    }
    expect(() => QueryLexicon.parse(readFileSync(`knowledge/${LEXICON_FILE}`, 'utf8'))).not.toThrow();
  });

  it('is empty without a lexicon file', async () => {
    const dir = await knowledgeFolder({ 'en/x.md': 'x' });
    folders.push(dir);
    expect(await loadLexicon(dir)).toEqual({ concepts: [], problems: [] });
  });

  it('reports a bad concept by its words and keeps the others', async () => {
    const dir = await knowledgeFolder({ [LEXICON_FILE]: 'concepts:\n  - to: nurse\n    fr: [infirmi*]\n  - to: bad\n    xx: [what]\n  - to: short\n    de: ["ab*"]\n' });
    folders.push(dir);
    const { concepts, problems } = await loadLexicon(dir);
    expect(concepts.map((c) => c.to)).toEqual(['nurse']);
    expect(problems).toEqual([
      { file: LEXICON_FILE, message: expect.stringContaining('"bad"') },
      { file: LEXICON_FILE, message: expect.stringContaining('at least 3 letters') },
    ]);
  });

  it('reports a file that is not YAML', async () => {
    const dir = await knowledgeFolder({ [LEXICON_FILE]: 'concepts: [unclosed' });
    folders.push(dir);
    expect((await loadLexicon(dir)).problems).toEqual([{ file: LEXICON_FILE, message: expect.stringContaining('not valid YAML') }]);
  });
});
