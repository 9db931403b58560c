import { describe, expect, it } from 'vitest';
import { renderWhatsApp, splitText, whatsappParts } from '../../../src/channels/whatsapp/render.js';
import { countryAt, countryOfPhone } from '../../../src/channels/place-country.js';

const sources = [{ id: 'chancenkarte', title: 'Opportunity Card', url: 'https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card', asOf: '2026-06-01' }];

describe('WhatsApp rendering', () => {
  it('writes emphasis in WhatsApp syntax, lists as lines, tables as lists, and no Markdown left', () => {
    const text = renderWhatsApp({
      text: 'You need **six points**, or *recognition*.\n\n1. Apply online\n2. Book an appointment\n\n| Year | Salary |\n|---|---|\n| 2026 | 50,700 € |',
    });
    expect(text).toContain('*six points*');
    expect(text).toContain('_recognition_');
    expect(text).toContain('1. Apply online\n2. Book an appointment');
    expect(text).toContain('• 2026: Salary: 50,700 €');
    expect(text).not.toMatch(/\*\*|\|---/);
  });

  it('writes links as plain addresses, and sources with their addresses and dates', () => {
    const text = renderWhatsApp({ text: 'See [the portal](https://www.make-it-in-germany.com) or https://bamf.de.', sources, sourceLabels: { heading: 'Sources', asOf: 'as of' } });
    expect(text).toContain('the portal (https://www.make-it-in-germany.com)');
    expect(text).toContain('Sources:\n[1] Opportunity Card (https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card), as of 2026-06-01');
    expect(text).not.toContain('](');
  });

  it('keeps raw HTML as text and never turns an unsafe address into a link', () => {
    const text = renderWhatsApp({ text: '<b>hi</b> [x](javascript:alert(1))' });
    expect(text).toContain('<b>hi</b>');
    expect(text).not.toContain('x (javascript:');
  });

  it('splits a long reply at paragraphs within WhatsApp\'s limit, never inside a surrogate pair', () => {
    const paragraph = 'Word '.repeat(300).trim();
    const parts = whatsappParts({ text: [paragraph, paragraph, paragraph, paragraph].join('\n\n') });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4000);
    expect(parts.join(' ').split(/\s+/).length).toBe(1200);
    const emoji = splitText('😀'.repeat(30), 11);
    for (const part of emoji) expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(emoji.join('')).toBe('😀'.repeat(30));
  });
});

describe('countries from a location and a phone number', () => {
  it('finds the country of coordinates offline, and of an international number', () => {
    expect(countryAt(14.69, -17.44)).toBe('SN');
    expect(countryAt(5.6, -0.19)).toBe('GH');
    expect(countryAt(95, 0)).toBeUndefined();
    expect(countryOfPhone('233241234567')).toBe('GH');
    expect(countryOfPhone('+962 79 123 4567')).toBe('JO');
    expect(countryOfPhone('123')).toBeUndefined();
  });
});
