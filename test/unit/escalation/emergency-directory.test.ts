import { describe, expect, it } from 'vitest';
import { YamlEmergencyDirectory } from '../../../src/escalation/emergency-directory.js';

const directory = YamlEmergencyDirectory.load('knowledge');

describe('the emergency directory', () => {
  it('gives the local numbers first and then the ones for Germany', () => {
    const contacts = directory.contactsFor('XK');
    expect(contacts[0]!.name).toMatch(/^Kosovo/);
    expect(contacts.map((c) => c.number)).toEqual(expect.arrayContaining(['112', '110', '+49 30 1815-1111']));
    const firstGerman = contacts.findIndex((c) => c.name.startsWith('Germany'));
    expect(contacts.slice(firstGerman).every((c) => c.name.startsWith('Germany'))).toBe(true);
  });

  it('gives Germany’s numbers when the country is unknown or not listed', () => {
    for (const country of [undefined, 'DE', 'ZZ']) {
      const contacts = directory.contactsFor(country);
      expect(contacts.every((c) => c.name.startsWith('Germany'))).toBe(true);
      expect(contacts.map((c) => c.number)).toContain('110');
    }
  });

  it('has an entry with at least one number for every country the centres serve', () => {
    for (const country of ['GH', 'NG', 'MA', 'TN', 'EG', 'IQ', 'JO', 'PK', 'ID', 'AL', 'XK', 'RS', 'GM', 'SN']) {
      expect(directory.contactsFor(country).filter((c) => !c.name.startsWith('Germany')).length, country).toBeGreaterThan(0);
    }
  });

  it('refuses a file without Germany', () => {
    expect(() => new YamlEmergencyDirectory('- country: GH\n  country_name: Ghana\n  contacts: []\n')).toThrow('no entry for DE');
  });
});
