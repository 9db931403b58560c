import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { tokenize } from '../../../src/core/text/normalize-text.js';
import { STOPWORDS } from '../../../src/i18n/stopwords.js';
import { LocalEmbeddings } from '../../../src/retrieval/local-embeddings.js';

/** The embedding as it was computed before it hashed n-grams in place: a string per feature, sums in a Map. */
function reference(text: string, dimensions = 1024, minGram = 4, maxGram = 5): number[] {
  const fnv1a = (feature: string) => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < feature.length; i++) {
      hash ^= feature.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  };
  const counts = new Map<number, number>();
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature);
    const slot = hash % dimensions;
    counts.set(slot, (counts.get(slot) ?? 0) + (hash & 0x80000000 ? -weight : weight));
  };
  for (const token of tokenize(text)) {
    const weight = STOPWORDS.has(token) ? 0.15 : 1;
    add(`w:${token}`, 1.5 * weight);
    const padded = `<${token}>`;
    for (let n = minGram; n <= maxGram; n++) for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n), weight / (maxGram - minGram + 1));
  }
  const vector = new Array<number>(dimensions).fill(0);
  let norm = 0;
  for (const [slot, value] of counts) {
    const damped = Math.sign(value) * Math.log1p(Math.abs(value));
    vector[slot] = damped;
    norm += damped * damped;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

describe('LocalEmbeddings, hashing n-grams in place', () => {
  it('gives bit for bit the vectors it gave before, for every chunk of the knowledge and other settings', () => {
    const chunks = (JSON.parse(readFileSync(path.join(inject('indexDir'), 'chunks.json'), 'utf8')) as { text: string }[]).map((chunk) => chunk.text);
    const texts = [...chunks, '', '?!', 'Chancenkarte', 'كم نقطة أحتاج لبطاقة الفرص؟', 'đ ß 😀 𠀀 test'];
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
    const embedder = new LocalEmbeddings();
    expect(texts.filter((text) => !same(embedder.embedText(text), reference(text)))).toEqual([]);
    const other = new LocalEmbeddings({ dimensions: 256, minGram: 2, maxGram: 4 });
    expect(texts.slice(0, 300).filter((text) => !same(other.embedText(text), reference(text, 256, 2, 4)))).toEqual([]);
  });
});
