import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { tokenize } from '../../../src/core/text/normalize-text.js';
import { passageWords, TermStatistics } from '../../../src/retrieval/retrieval-confidence.js';

describe('TermStatistics keeping the words of every passage as ids', () => {
  it('answers contains() as a set of the passage’s words and stems does, for every passage of the knowledge', () => {
    const texts = (JSON.parse(readFileSync(path.join(inject('indexDir'), 'chunks.json'), 'utf8')) as { headings: string[]; text: string }[]).map(
      (chunk) => `${chunk.headings.join(' ')} ${chunk.text}`,
    );
    const stats = new TermStatistics(texts);
    // Words of the passage itself, of its neighbour, stems cut short, and words no passage has.
    const probes = (i: number) => [...tokenize(texts[i]!).slice(0, 30), ...tokenize(texts[(i + 1) % texts.length]!).slice(0, 30), 'anerkennungen', 'chancenk', 'xyzzyq', 'a', ''];
    let checked = 0;
    texts.forEach((text, i) => {
      const reference = passageWords(text);
      const stored = stats.wordsOf(i);
      for (const term of probes(i)) {
        expect(stored.contains(term), `${term} in passage ${i}`).toBe(reference.contains(term));
        checked += 1;
      }
    });
    expect(checked).toBeGreaterThan(10_000);
  });

  it('gives the inverse document frequency of a word, or of its stem', () => {
    const stats = new TermStatistics(['Punkte für die Chancenkarte', 'Die Chancenkarte', 'Blaue Karte']);
    expect(stats.idf('chancenkarte')).toBeCloseTo(Math.log(4 / 3));
    expect(stats.idf('chancenkarten')).toBeCloseTo(Math.log(4 / 3));
    expect(stats.idf('visum')).toBeCloseTo(Math.log(4));
    const english = stats.wordsOfTexts([2]);
    expect(english.has('karte')).toBe(true);
    expect(english.has('punkte')).toBe(false);
  });
});
