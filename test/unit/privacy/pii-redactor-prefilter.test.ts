import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PiiRedactor } from '../../../src/privacy/pii-redactor.js';

/** The redactor as it was before its pre-filters: every pattern, and libphonenumber, on every text. */
function reference(text: string): string {
  const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
  const DOCUMENT_NUMBER = /\b(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)[A-Z0-9]{6,12}\b/giu;
  const PHONE_LIKE = /(?<![\p{L}\p{N}])\+?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/gu;
  const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g;
  const isPlainNumber = (match: string) => /^\d{1,4}$/.test(match.replace(/[\s.,]/g, '')) || /^\d{1,3}([.,\s]\d{3})+$/.test(match.trim());
  let out = text.replace(EMAIL, '[email]').replace(IBAN, '[iban]');
  for (const found of findPhoneNumbersInText(out).reverse()) out = `${out.slice(0, found.startsAt)}[phone]${out.slice(found.endsAt)}`;
  out = out.replace(PHONE_LIKE, (match) => (isPlainNumber(match) || match.replace(/\D/g, '').length < 8 ? match : '[phone]'));
  return out.replace(DOCUMENT_NUMBER, (match) => (/^\d+$/.test(match) && match.length <= 7 ? match : '[id-number]'));
}

/** Every string in the JSON files of a folder. */
function strings(dir: string): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) walk(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  return out;
}

/** Strings built from digits of several scripts, plus signs, separators and letters: what the pre-filters must not get wrong. */
function generated(count: number): string[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts = ['0', '1', '2', '5', '7', '9', '٠', '٣', '۴', '０', '１', '+', '＋', ' ', '-', '(', ')', '.', '/', 'a', 'Z', '@', 'DE', '49', '30', '+49', '0049', '+1', '(030)', 'tel', 'ext.', '#', '\u00a0', '\u2013'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    for (let n = 1 + Math.floor(random() * 24); n > 0; n--) text += parts[Math.floor(random() * parts.length)];
    out.push(text, `Call me at ${text} please`);
  }
  return out;
}

describe('PiiRedactor pre-filters', () => {
  const redactor = new PiiRedactor();

  it('redact exactly as every pattern on every text did: real messages, the knowledge, and generated numbers', () => {
    const texts = [
      ...strings('src/escalation/training'),
      ...strings('test/fixtures/escalation-heldout'),
      ...strings('test/fixtures/answers-heldout'),
      ...(JSON.parse(readFileSync(path.join(inject('indexDir'), 'chunks.json'), 'utf8')) as { text: string }[]).map((chunk) => chunk.text),
      ...generated(10_000),
      'Ruf mich an: +49 30 1815 1111',
      '+٤٩٣٠١٢٣٤٥٦٧',
      '＋49 30 1234567',
      'tel +1 (212) 555-0100 ext. 12',
      'mail amina.k@example.com, no digits',
    ];
    const different = texts.filter((text) => redactor.redact(text) !== reference(text));
    expect(different).toEqual([]);
    expect(texts.length).toBeGreaterThan(30_000);
  });

  it('returns a text without digits as it is, or with its e-mail addresses only taken out', () => {
    expect(redactor.redact('Wie viele Punkte brauche ich?')).toBe('Wie viele Punkte brauche ich?');
    expect(redactor.redact('schreib an amina@example.org')).toBe('schreib an [email]');
  });
});
