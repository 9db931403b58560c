import { eld } from 'eld';
import type { Language } from '../core/knowledge.js';
import type { DetectedLanguage } from '../core/ports.js';

// eld (Efficient Language Detector) ships its n-gram database in the package: nothing is downloaded.
await (eld as typeof eld & { load(size: string): Promise<unknown> }).load('medium');
// Our ten languages and the neighbours eld may name instead: Serbian in Latin script is the
// standard language eld calls Croatian or Bosnian; Indonesian is close to Malay.
eld.setLanguageSubset(['en', 'de', 'fr', 'es', 'sq', 'sr', 'hr', 'bs', 'vi', 'id', 'ms', 'ar', 'ur', 'fa']);

const ELD_TO_LANGUAGE: Record<string, Language> = {
  en: 'en', de: 'de', fr: 'fr', es: 'es', sq: 'sq', sr: 'sr', hr: 'sr', bs: 'sr', vi: 'vi', id: 'id', ms: 'id', ar: 'ar', ur: 'ur', fa: 'ur',
};

/** Letters only Urdu (and Persian) write; Arabic has none of them. */
const URDU_LETTERS = /[ٹڈڑںےھۓگچپژکی]/u;

/**
 * Detects which of Lotse's languages a message is in: the script first (Arabic script means Arabic
 * or Urdu, Cyrillic means Serbian, Vietnamese tone marks mean Vietnamese), then eld's n-gram model,
 * which is built for short texts like chat messages.
 */
export function detectLanguage(text: string, fallback: Language = 'en'): DetectedLanguage {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length === 0) return { language: fallback, confident: false };
  const arabic = (letters.match(/\p{Script=Arabic}/gu) ?? []).length;
  const cyrillic = (letters.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  if (cyrillic > letters.length / 2) return { language: 'sr', confident: true };
  if (arabic > letters.length / 2) return { language: URDU_LETTERS.test(text) ? 'ur' : 'ar', confident: letters.length >= 4 };
  // Letters only Vietnamese writes (â, ê and ô are French too: "être à l'hôpital" is not Vietnamese).
  if (/[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return { language: 'vi', confident: true };
  const result = eld.detect(text);
  const language = ELD_TO_LANGUAGE[result.language];
  const confident = language !== undefined && letters.length >= 8 && result.isReliable();
  return { language: confident ? language : fallback, confident };
}
