import { LANGUAGES, type Language } from '../core/knowledge.js';
import type { DetectedLanguage, LanguageDetector, Translator } from '../core/ports.js';
import { normalizeText } from '../core/text/normalize-text.js';
import { detectLanguage } from './detect-language.js';
import type { Messages } from './i18n.js';
import type { TFunction } from 'i18next';

/** The Translator port on i18next: words of a command are gathered from all ten languages. */
export class I18nTranslator implements Translator {
  private readonly wordCache = new Map<string, string[]>();
  /** Each language's i18next function, made once (getFixedT makes a new one at every call). */
  private readonly fixed = new Map<Language, TFunction>();
  /** Texts without parameters, per language and key: the words are fixed, so each is looked up once (bounded by the keys there are). */
  private readonly plain = new Map<string, string>();

  constructor(private readonly messages: Messages) {}

  private tFor(language: Language): TFunction {
    let t = this.fixed.get(language);
    if (!t) this.fixed.set(language, (t = this.messages.for(language)));
    return t;
  }

  t(language: Language, key: string, params?: Record<string, unknown>): string {
    if (params) return this.tFor(language)(key, params) as string;
    const id = `${language}:${key}`;
    let text = this.plain.get(id);
    if (text === undefined) this.plain.set(id, (text = this.tFor(language)(key, {}) as string));
    return text;
  }

  languagesOfWord(key: string, text: string): Language[] {
    const normalized = normalizeText(text);
    if (normalized === '') return [];
    return LANGUAGES.filter((language) => {
      const value = this.tFor(language)(key, { returnObjects: true }) as unknown;
      return Array.isArray(value) && value.some((word) => normalizeText(String(word)) === normalized);
    });
  }

  words(key: string): string[] {
    let words = this.wordCache.get(key);
    if (!words) {
      const all = LANGUAGES.flatMap((language) => {
        const value = this.tFor(language)(key, { returnObjects: true }) as unknown;
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

/** Detections remembered: at most twice this many (two generations), of texts up to 1,000 characters. */
const REMEMBERED = 512;

/** The LanguageDetector port: eld-based detection and language names in all ten languages. */
export class LanguageService implements LanguageDetector {
  private readonly names = languageNames();
  /** A turn detects its message's language more than once (following the user, the safety screen): the first detection serves the others. */
  private recent = new Map<string, DetectedLanguage>();
  private older = new Map<string, DetectedLanguage>();

  detect(text: string, fallback: Language): DetectedLanguage {
    if (text.length > 1000) return detectLanguage(text, fallback);
    const key = `${fallback}:${text}`;
    let detected = this.recent.get(key);
    if (!detected) {
      detected = this.older.get(key) ?? detectLanguage(text, fallback);
      if (this.recent.size >= REMEMBERED) {
        this.older = this.recent;
        this.recent = new Map();
      }
      this.recent.set(key, detected);
    }
    return { ...detected };
  }

  parseName(text: string): Language | undefined {
    return this.names.get(normalizeText(text));
  }
}
