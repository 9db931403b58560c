import { describe, expect, it } from 'vitest';
import { LocalEmbeddings } from '../../../src/retrieval/local-embeddings.js';
import { normalizeText } from '../../../src/core/text/normalize-text.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('normalizeText', () => {
  it('folds case, accents, Vietnamese tones, Arabic variants and Serbian Cyrillic', () => {
    expect(normalizeText('Anerkennung für Ärzte!')).toBe('anerkennung fur arzte');
    expect(normalizeText('Thẻ cơ hội')).toBe(normalizeText('the co hoi'));
    expect(normalizeText('Колико поена')).toBe('koliko poena');
    expect(normalizeText('أحتاج إلى')).toBe(normalizeText('احتاج الى'));
    expect(normalizeText('straße')).toBe('strasse');
  });
});

describe('LocalEmbeddings', () => {
  const embedder = new LocalEmbeddings();

  it('is deterministic, unit length and of the configured size', async () => {
    const [a] = await embedder.embedDocuments(['Opportunity Card points']);
    const b = await embedder.embedQuery('Opportunity Card points');
    expect(a).toEqual(b);
    expect(a).toHaveLength(1024);
    expect(cosine(a!, a!)).toBeCloseTo(1, 6);
    expect(new LocalEmbeddings({ dimensions: 64 }).embedText('x y z')).toHaveLength(64);
  });

  it('returns a zero vector for text without letters, never NaN', () => {
    const v = embedder.embedText('?!');
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('puts a question closer to its answer than to an unrelated passage, in several scripts', () => {
    const cases: [string, string, string][] = [
      ['How many points for the Opportunity Card?', 'Opportunity Card points table: you need at least 6 points', 'Family reunification: spouses need German A1'],
      ['Wie viele Punkte brauche ich für die Chancenkarte?', 'Chancenkarte: Sie brauchen mindestens 6 Punkte', 'Familiennachzug: Ehepartner brauchen Deutsch A1'],
      ['كم نقطة أحتاج لبطاقة الفرص؟', 'بطاقة الفرص: تحتاج إلى 6 نقاط على الأقل', 'لم شمل الأسرة: يحتاج الزوج إلى اللغة الألمانية'],
      ['Колико поена треба за карту шанси?', 'Karta šansi: potrebno je najmanje 6 poena', 'Spajanje porodice: supružnik treba nemački A1'],
      ['can bao nhieu diem cho the co hoi', 'Thẻ cơ hội: bạn cần ít nhất 6 điểm', 'Đoàn tụ gia đình: vợ hoặc chồng cần tiếng Đức A1'],
    ];
    for (const [question, answer, other] of cases) {
      const q = embedder.embedText(question);
      expect(cosine(q, embedder.embedText(answer)), question).toBeGreaterThan(cosine(q, embedder.embedText(other)));
    }
  });

  it('names its vector space, so an index built with other settings is rebuilt', () => {
    expect(embedder.id).toBe('local-ngram-v1-d1024-n45');
    expect(new LocalEmbeddings({ dimensions: 256 }).id).not.toBe(embedder.id);
  });
});
