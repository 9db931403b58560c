import { LANGUAGES, type Language } from '../core/knowledge.js';
import type { DetectedLanguage, LanguageDetector, Translator } from '../core/ports.js';
import { normalizeText } from '../core/text/normalize-text.js';
import { detectLanguage } from './detect-language.js';
import type { Messages } from './i18n.js';

/** The Translator port on i18next: words of a command are gathered from all ten languages. */
export class I18nTranslator implements Translator {
  private readonly wordCache = new Map<string, string[]>();

  constructor(private readonly messages: Messages) {}

  t(language: Language, key: string, params?: Record<string, unknown>): string {
    return this.messages.for(language)(key, params ?? {}) as string;
  }

  languagesOfWord(key: string, text: string): Language[] {
    const normalized = normalizeText(text);
    if (normalized === '') return [];
    return LANGUAGES.filter((language) => {
      const value = this.messages.for(language)(key, { returnObjects: true }) as unknown;
      return Array.isArray(value) && value.some((word) => normalizeText(String(word)) === normalized);
    });
  }

  words(key: string): string[] {
    let words = this.wordCache.get(key);
    if (!words) {
      const all = LANGUAGES.flatMap((language) => {
        const value = this.messages.for(language)(key, { returnObjects: true }) as unknown;
        return Array.isArray(value) ? value.map(String) : [];
      });
      words = [...new Set(all.map((word) => normalizeText(word)).filter(Boolean))];
      this.wordCache.set(key, words);
    }
    return words;
  }
}

/** Language names in every language Lotse speaks (from the runtime's ICU data), plus the ISO codes. */
function languageNames(): Map<string, Language> {
  const names = new Map<string, Language>();
  for (const display of LANGUAGES) {
    const intl = new Intl.DisplayNames([display === 'sr' ? 'sr-Latn' : display], { type: 'language' });
    for (const language of LANGUAGES) {
      const name = intl.of(language);
      if (name) names.set(normalizeText(name), language);
    }
  }
  for (const language of LANGUAGES) names.set(language, language);
  // Names people type that ICU spells otherwise.
  for (const [name, language] of [['bahasa', 'id'], ['indonesia', 'id'], ['bahasa indonesia', 'id'], ['srpski', 'sr'], ['shqip', 'sq'], ['tieng viet', 'vi'], ['arabic', 'ar']] as const) {
    names.set(normalizeText(name), language);
  }
  return names;
}

/** The LanguageDetector port: eld-based detection and language names in all ten languages. */
export class LanguageService implements LanguageDetector {
  private readonly names = languageNames();

  detect(text: string, fallback: Language): DetectedLanguage {
    return detectLanguage(text, fallback);
  }

  parseName(text: string): Language | undefined {
    return this.names.get(normalizeText(text));
  }
}
