import { francAll } from 'franc';
import type { Language } from '../core/knowledge.js';
import { tokenize } from '../core/text/normalize-text.js';
import { STOPWORDS_BY_LANGUAGE } from './stopwords.js';

/** franc's ISO 639-3 codes, restricted to the ten languages (and the neighbours it confuses them with). */
const FRANC_TO_LANGUAGE: Record<string, Language> = {
  eng: 'en',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  als: 'sq',
  // Serbian in Latin script is the same standard language franc calls Bosnian or Croatian.
  srp: 'sr',
  bos: 'sr',
  hrv: 'sr',
  vie: 'vi',
  ind: 'id',
  zlm: 'id',
  arb: 'ar',
  urd: 'ur',
  pes: 'ur',
};
const LATIN_ONLY = ['eng', 'deu', 'fra', 'spa', 'als', 'srp', 'bos', 'hrv', 'vie', 'ind', 'zlm'];
const ARABIC_ONLY = ['arb', 'urd', 'pes'];

/** Letters only Urdu (and Persian) write; Arabic has none of them. */
const URDU_LETTERS = /[ٹڈڑںےھۓگچپژکی]/u;

export interface DetectedLanguage {
  language: Language;
  /** False when the text is too short or too mixed to tell; the caller should prefer what it knew. */
  confident: boolean;
}

/**
 * Detects which of Lotse's languages a message is in: the script first (Arabic script means Arabic
 * or Urdu, Cyrillic means Serbian), then franc's trigram model among the candidates of that script.
 */
export function detectLanguage(text: string, fallback: Language = 'en'): DetectedLanguage {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length === 0) return { language: fallback, confident: false };
  const arabic = (letters.match(/\p{Script=Arabic}/gu) ?? []).length;
  const cyrillic = (letters.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  if (cyrillic > letters.length / 2) return { language: 'sr', confident: true };
  if (arabic > letters.length / 2) {
    if (URDU_LETTERS.test(text)) return { language: 'ur', confident: true };
    const [best] = francAll(text, { only: ARABIC_ONLY, minLength: 1 });
    return { language: FRANC_TO_LANGUAGE[best?.[0] ?? 'arb'] ?? 'ar', confident: letters.length >= 8 };
  }
  // Vietnamese tone marks on Latin letters are unmistakable.
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return { language: 'vi', confident: true };
  // franc's trigrams alone mistake short English for French ("I have a question about my visa"):
  // add a vote of function words, which short questions are full of.
  const scores = new Map<Language, number>();
  for (const [code, score] of francAll(text, { only: LATIN_ONLY, minLength: 1 })) {
    const language = FRANC_TO_LANGUAGE[code];
    if (language) scores.set(language, Math.max(scores.get(language) ?? 0, score));
  }
  const words = tokenize(text);
  for (const language of ['en', 'de', 'fr', 'es', 'sq', 'sr', 'vi', 'id'] as const) {
    const hits = words.filter((word) => STOPWORDS_BY_LANGUAGE[language].has(word)).length;
    scores.set(language, (scores.get(language) ?? 0) + (words.length ? (1.5 * hits) / words.length : 0));
  }
  const [first, second] = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (!first) return { language: fallback, confident: false };
  const confident = letters.length >= 12 && first[1] - (second?.[1] ?? 0) >= 0.15;
  return { language: confident ? first[0] : fallback, confident };
}
