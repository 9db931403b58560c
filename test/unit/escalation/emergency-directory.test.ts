import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DANGER_KINDS } from '../../../src/core/danger.js';
import { LANGUAGES } from '../../../src/core/knowledge.js';
import { YamlEmergencyDirectory } from '../../../src/escalation/emergency-directory.js';

const directory = YamlEmergencyDirectory.load('knowledge');
const CENTRE_COUNTRIES = ['GH', 'NG', 'MA', 'TN', 'EG', 'IQ', 'JO', 'PK', 'ID', 'AL', 'XK', 'RS', 'GM', 'SN'];

describe('the emergency directory', () => {
  it('gives the local numbers first and then at most three for Germany', () => {
    const contacts = directory.contactsFor('XK', undefined, 'en');
    expect(contacts[0]!.country).toBe('XK');
    const firstGerman = contacts.findIndex((c) => c.country === 'DE');
    expect(firstGerman).toBeGreaterThan(0);
    expect(contacts.slice(firstGerman).every((c) => c.country === 'DE')).toBe(true);
    expect(contacts.length - firstGerman).toBeLessThanOrEqual(3);
  });

  it('gives Germany’s numbers when the country is unknown or not listed', () => {
    for (const country of [undefined, 'DE', 'ZZ']) {
      const contacts = directory.contactsFor(country, undefined, 'en');
      expect(contacts.every((c) => c.country === 'DE')).toBe(true);
      expect(contacts.map((c) => c.number)).toContain('110');
    }
  });

  it('chooses the help by the kind of danger', () => {
    expect(directory.contactsFor('DE', 'medical_emergency', 'en')[0]!.number).toBe('112');
    expect(directory.contactsFor('DE', 'self_harm', 'en')[0]!.kind).toBe('mental-health');
    expect(directory.contactsFor('DE', 'forced_marriage', 'en')[0]!.number).toBe('116 016');
    expect(directory.contactsFor('DE', 'violence', 'en')[0]!.number).toBe('110');
    // A crisis line is no help for a broken leg; the women's helpline is not the first call for a kidnapping.
    expect(directory.contactsFor('DE', 'medical_emergency', 'en').map((c) => c.kind)).not.toContain('mental-health');
    expect(directory.contactsFor('DE', 'kidnapping', 'en')[0]!.kind).toBe('police');
  });

  it('always includes a number that brings help now, for every kind of danger and country', () => {
    for (const country of [...CENTRE_COUNTRIES, 'DE', undefined]) {
      for (const danger of DANGER_KINDS) {
        const kinds = directory.contactsFor(country, danger, 'en').map((c) => c.kind);
        expect(kinds.some((k) => k === 'emergency' || k === 'police' || k === 'ambulance'), `${country} ${danger}`).toBe(true);
      }
    }
  });

  it('has an entry with at least one number for every country the centres serve', () => {
    for (const country of CENTRE_COUNTRIES) {
      expect(directory.covers(country)).toBe(true);
      expect(directory.contactsFor(country, undefined, 'en').filter((c) => c.country === country).length, country).toBeGreaterThan(0);
    }
  });

  it('names the contacts and countries in the user’s language, with the numbers unchanged', () => {
    const en = directory.contactsFor('SN', 'violence', 'en');
    const fr = directory.contactsFor('SN', 'violence', 'fr');
    expect(fr.map((c) => c.number)).toEqual(en.map((c) => c.number));
    expect(fr.map((c) => c.name)).not.toEqual(en.map((c) => c.name));
    expect(directory.countryName('DE', 'fr')).toBe('Allemagne');
    expect(directory.countryName('DE', 'ar')).toBe('ألمانيا');
    expect(directory.countryName('DE', 'en')).toBe('Germany');
  });

  it('has every name, note and country name translated into every language, for every contact', () => {
    const source = parse(readFileSync('knowledge/directory/emergency-contacts.yaml', 'utf8')) as { country: string; contacts: { name: string; note?: string }[] }[];
    const translated = parse(readFileSync('knowledge/directory/emergency-contacts.i18n.yaml', 'utf8')) as {
      country: string;
      country_name: Record<string, string>;
      contacts: { name_en: string; name: Record<string, string>; note?: Record<string, string> }[];
    }[];
    const others = LANGUAGES.filter((l) => l !== 'en');
    const missing: string[] = [];
    for (const entry of source) {
      const t = translated.find((x) => x.country === entry.country);
      if (!t) {
        missing.push(entry.country);
        continue;
      }
      for (const l of others) if (!t.country_name[l]) missing.push(`${entry.country} country_name ${l}`);
      for (const contact of entry.contacts) {
        const tc = t.contacts.find((x) => x.name_en === contact.name);
        for (const l of others) {
          if (!tc?.name[l]) missing.push(`${entry.country} ${contact.name} name ${l}`);
          if (contact.note && !tc?.note?.[l]) missing.push(`${entry.country} ${contact.name} note ${l}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps every number, year and time of a name or note in each translation', () => {
    const source = parse(readFileSync('knowledge/directory/emergency-contacts.yaml', 'utf8')) as { country: string; contacts: { name: string; note?: string }[] }[];
    const translated = parse(readFileSync('knowledge/directory/emergency-contacts.i18n.yaml', 'utf8')) as { country: string; contacts: { name_en: string; name: Record<string, string>; note?: Record<string, string> }[] }[];
    // Arabic-Indic and Persian digits count as the same digits.
    const digits = (text: string): string[] => text.replace(/[٠-٩۰-۹]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d) >= 0 ? '٠١٢٣٤٥٦٧٨٩'.indexOf(d) : '۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).match(/\d+/g) ?? [];
    const lost: string[] = [];
    for (const entry of source) {
      const t = translated.find((x) => x.country === entry.country)!;
      for (const contact of entry.contacts) {
        const tc = t.contacts.find((x) => x.name_en === contact.name)!;
        for (const field of ['name', 'note'] as const) {
          const original = contact[field];
          if (!original) continue;
          for (const [language, text] of Object.entries(tc[field] ?? {})) {
            const missing = digits(original).filter((n) => !digits(text).includes(n));
            if (missing.length > 0) lost.push(`${entry.country} ${contact.name} ${field} ${language}: ${missing.join(', ')}`);
          }
        }
      }
    }
    expect(lost).toEqual([]);
  });

  it('refuses a file without Germany', () => {
    expect(() => new YamlEmergencyDirectory('- country: GH\n  country_name: Ghana\n  contacts: []\n')).toThrow('no entry for DE');
  });
});
