import { readFileSync } from 'node:fs';
import { createInstance, type i18n, type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../core/knowledge.js';

function readLocale(language: Language): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./locales/${language}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** All of Lotse's own words, in all ten languages, with English as the fallback for a missing key. */
export class Messages {
  private constructor(private readonly instance: i18n) {}

  static create(): Messages {
    const instance = createInstance();
    void instance.init({
      initAsync: false,
      lng: 'en',
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      resources: Object.fromEntries(LANGUAGES.map((language) => [language, { translation: readLocale(language) }])),
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    return new Messages(instance);
  }

  /** A translator fixed to one language. */
  for(language: Language): TFunction {
    return this.instance.getFixedT(language);
  }

  /** The keys a language lacks compared with English (its missing translations). */
  missingKeys(language: Language): string[] {
    const flatten = (value: unknown, prefix = ''): string[] =>
      // A word list is one key, whatever its length in each language.
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    const bundle = this.instance.getResourceBundle(language, 'translation') as unknown;
    const have = new Set(flatten(bundle));
    return flatten(this.instance.getResourceBundle('en', 'translation')).filter((key) => !have.has(key));
  }
}
