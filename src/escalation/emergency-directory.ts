import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { DangerKind } from '../core/danger.js';
import { LANGUAGES, type Language } from '../core/knowledge.js';
import type { ContactKind, EmergencyContact, EmergencyDirectory } from '../core/ports.js';

export const EMERGENCY_FILE = path.join('directory', 'emergency-contacts.yaml');
/** Names, notes and country names in Lotse's other languages, keyed by country and English name. */
export const EMERGENCY_TRANSLATIONS_FILE = path.join('directory', 'emergency-contacts.i18n.yaml');

const CONTACT_KINDS = ['emergency', 'police', 'ambulance', 'anti-trafficking', 'mental-health', 'women-violence', 'migration-hotline'] as const satisfies readonly ContactKind[];

const entrySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/),
  country_name: z.string(),
  contacts: z.array(
    z.object({
      kind: z.enum(CONTACT_KINDS),
      name: z.string(),
      number: z.string(),
      note: z.string().optional(),
      source_url: z.string(),
    }),
  ),
});
type Entry = z.infer<typeof entrySchema>;

const translatedSchema = z.partialRecord(z.enum(LANGUAGES), z.string().min(1));
const translationSchema = z.array(
  z.object({
    country: z.string(),
    country_name: translatedSchema,
    contacts: z.array(z.object({ name_en: z.string(), name: translatedSchema, note: translatedSchema.optional() })),
  }),
);

/** Which help fits which danger, best first. The general emergency number is added where none of these exists. */
export const CONTACTS_FOR_DANGER: Record<DangerKind, ContactKind[]> = {
  trafficking_exploitation: ['anti-trafficking', 'police', 'migration-hotline'],
  violence: ['police', 'emergency', 'women-violence'],
  sexual_harassment_abuse: ['women-violence', 'police', 'emergency'],
  self_harm: ['mental-health', 'emergency', 'ambulance'],
  medical_emergency: ['ambulance', 'emergency'],
  dangerous_crossing_smuggling: ['emergency', 'police', 'anti-trafficking'],
  kidnapping: ['police', 'emergency', 'anti-trafficking'],
  child_in_danger: ['police', 'emergency'],
  forced_marriage: ['women-violence', 'anti-trafficking', 'police'],
  destitution: ['emergency', 'migration-hotline'],
  creditor_threats: ['police', 'emergency', 'anti-trafficking'],
};

/** Order when the kind of danger is unknown: the numbers that bring help now come first. */
const GENERAL_ORDER: ContactKind[] = ['emergency', 'police', 'ambulance', 'anti-trafficking', 'mental-health', 'women-violence', 'migration-hotline'];
/** From Germany, for someone whose home country is elsewhere: at most this many, by fit. */
const GERMANY_FROM_ABROAD = 3;

/**
 * The verified emergency and help numbers (knowledge/directory/emergency-contacts.yaml), chosen by
 * the kind of danger (an ambulance for a medical emergency, a women's helpline for forced marriage),
 * for the user's country and for Germany, where many users work; Germany alone when the country is
 * unknown. Names and notes come in the user's language where a translation exists.
 */
export class YamlEmergencyDirectory implements EmergencyDirectory {
  private readonly byCountry: Map<string, Entry>;
  private readonly translations: Map<string, z.infer<typeof translationSchema>[number]>;

  constructor(source: string, translations?: string) {
    const entries = z.array(entrySchema).parse(parse(source));
    this.byCountry = new Map(entries.map((entry) => [entry.country, entry]));
    if (!this.byCountry.has('DE')) throw new Error(`${EMERGENCY_FILE} has no entry for DE (Germany), which every safety reply needs`);
    const parsed = translations ? translationSchema.parse(parse(translations)) : [];
    this.translations = new Map(parsed.map((entry) => [entry.country, entry]));
  }

  static load(knowledgeDir: string): YamlEmergencyDirectory {
    const translations = path.join(knowledgeDir, EMERGENCY_TRANSLATIONS_FILE);
    return new YamlEmergencyDirectory(readFileSync(path.join(knowledgeDir, EMERGENCY_FILE), 'utf8'), existsSync(translations) ? readFileSync(translations, 'utf8') : undefined);
  }

  covers(country: string): boolean {
    return this.byCountry.has(country);
  }

  countryName(country: string, language: Language): string | undefined {
    const entry = this.byCountry.get(country);
    if (!entry) return undefined;
    return (language !== 'en' ? this.translations.get(country)?.country_name[language] : undefined) ?? entry.country_name;
  }

  contactsFor(country: string | undefined, danger: DangerKind | undefined, language: Language): EmergencyContact[] {
    const abroad = country && country !== 'DE' && this.byCountry.has(country);
    const german = this.pick('DE', danger, language);
    if (!abroad) return german;
    return [...this.pick(country, danger, language), ...german.slice(0, GERMANY_FROM_ABROAD)];
  }

  private pick(country: string, danger: DangerKind | undefined, language: Language): EmergencyContact[] {
    const entry = this.byCountry.get(country)!;
    const order = danger ? CONTACTS_FOR_DANGER[danger] : GENERAL_ORDER;
    let chosen = entry.contacts.filter((c) => order.includes(c.kind)).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    if (!chosen.some((c) => c.kind === 'emergency' || c.kind === 'police' || c.kind === 'ambulance')) {
      // Every reply carries a number that brings help now.
      const general = entry.contacts.filter((c) => c.kind === 'emergency' || c.kind === 'police').slice(0, 1);
      chosen = [...general, ...chosen];
    }
    const translated = this.translations.get(country);
    return chosen.map((c) => {
      const words = language !== 'en' ? translated?.contacts.find((t) => t.name_en === c.name) : undefined;
      const note = c.note ? (words?.note?.[language] ?? c.note) : undefined;
      return {
        kind: c.kind,
        country,
        name: words?.name[language] ?? c.name,
        // A contact without a number (a website) shows its note in the number's place.
        number: c.number || note || '',
        note: c.number ? note : undefined,
      };
    });
  }
}
