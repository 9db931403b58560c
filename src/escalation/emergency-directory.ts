import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EmergencyContact, EmergencyDirectory } from '../core/ports.js';

export const EMERGENCY_FILE = path.join('directory', 'emergency-contacts.yaml');

const entrySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/),
  country_name: z.string(),
  contacts: z.array(
    z.object({
      kind: z.enum(['emergency', 'police', 'ambulance', 'anti-trafficking', 'mental-health', 'women-violence', 'migration-hotline']),
      name: z.string(),
      number: z.string(),
      note: z.string().optional(),
      source_url: z.string(),
    }),
  ),
});

/** Order in which contacts are shown: the numbers that bring help now come first. */
const ORDER = ['emergency', 'police', 'ambulance', 'anti-trafficking', 'mental-health', 'women-violence', 'migration-hotline'];

/**
 * The verified emergency and help numbers (knowledge/directory/emergency-contacts.yaml), for the
 * user's country and for Germany, where many users work; Germany alone when the country is unknown.
 */
export class YamlEmergencyDirectory implements EmergencyDirectory {
  private readonly byCountry: Map<string, z.infer<typeof entrySchema>>;

  constructor(source: string) {
    const entries = z.array(entrySchema).parse(parse(source));
    this.byCountry = new Map(entries.map((entry) => [entry.country, entry]));
    if (!this.byCountry.has('DE')) throw new Error(`${EMERGENCY_FILE} has no entry for DE (Germany), which every safety reply needs`);
  }

  static load(knowledgeDir: string): YamlEmergencyDirectory {
    return new YamlEmergencyDirectory(readFileSync(path.join(knowledgeDir, EMERGENCY_FILE), 'utf8'));
  }

  contactsFor(country: string | undefined): EmergencyContact[] {
    const list = (code: string, kinds?: string[]) => {
      const entry = this.byCountry.get(code);
      if (!entry) return [];
      return entry.contacts
        .filter((c) => !kinds || kinds.includes(c.kind))
        .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
        .map((c) => ({ kind: c.kind, name: `${entry.country_name}: ${c.name}`, number: c.number || (c.note ?? ''), note: c.number ? c.note : undefined }));
    };
    if (country && country !== 'DE' && this.byCountry.has(country)) {
      // At home: the local numbers; in Germany: police, ambulance, crisis line and the migration hotline.
      return [...list(country), ...list('DE', ['police', 'emergency', 'mental-health', 'migration-hotline'])];
    }
    return list('DE');
  }
}
