import { describe, expect, it } from 'vitest';
import { PiiRedactor } from '../../../src/privacy/pii-redactor.js';

const redactor = new PiiRedactor();

describe('PiiRedactor', () => {
  it.each([
    ['call me on +49 151 23456789 please', 'call me on [phone] please'],
    ['my number is 0244 123 4567', 'my number is [phone]'],
    ['write to amina.k@example.com', 'write to [email]'],
    ['passport number C01X00T47', 'passport number [id-number]'],
    ['ID 1234567890123', 'ID [phone]'],
    ['IBAN DE89 3704 0044 0532 0130 00', 'IBAN [iban]'],
    ['رقمي +213 555 12 34 56', 'رقمي [phone]'],
  ])('%s', (text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it('keeps what is not personal: years, amounts, paragraphs, levels', () => {
    const text = 'In 2026 the Blue Card needs 50,700 euros (§18g), German B1 and 6 points; €1,091 per month.';
    expect(redactor.redact(text)).toBe(text);
  });
});
