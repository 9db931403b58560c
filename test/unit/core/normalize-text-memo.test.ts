import { describe, expect, it } from 'vitest';
import { normalizeText, tokenize } from '../../../src/core/text/normalize-text.js';

describe('normalizeText, remembering what it normalised', () => {
  it('gives the same result however often, and after the texts it remembers were replaced by thousands of others', () => {
    const samples = ['Anerkennung für Ärzte!', 'Thẻ cơ hội', 'Колико поена', 'أحتاج إلى الchancenkarte', 'straße', '', '  ', `${'Punkte '.repeat(300)}!`];
    const first = samples.map((text) => normalizeText(text));
    expect(first.slice(0, 5)).toEqual(['anerkennung fur arzte', 'the co hoi', 'koliko poena', 'احتاج الي ال chancenkarte', 'strasse']);
    for (let i = 0; i < 5_000; i++) normalizeText(`Frage Nummer ${i} über die Blaue Karte`);
    expect(samples.map((text) => normalizeText(text))).toEqual(first);
    expect(normalizeText('Frage Nummer 4999 über die Blaue Karte')).toBe('frage nummer 4999 uber die blaue karte');
  });

  it('hands every caller its own token list', () => {
    const a = tokenize('Wie viele Punkte?');
    a.push('changed');
    expect(tokenize('Wie viele Punkte?')).toEqual(['wie', 'viele', 'punkte']);
  });
});
