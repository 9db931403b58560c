import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Language } from '../core/knowledge.js';
import type { DetectedLanguage } from '../core/ports.js';

// eld (Efficient Language Detector) ships its n-gram database in the package: nothing is downloaded.
// Our ten languages and the neighbours eld may name instead: Serbian in Latin script is the
// standard language eld calls Croatian or Bosnian; Indonesian is close to Malay.
export const ELD_LANGUAGES = ['en', 'de', 'fr', 'es', 'sq', 'sr', 'hr', 'bs', 'vi', 'id', 'ms', 'ar', 'ur', 'fa'];
/** eld's database: its 'medium' n-grams for 60 languages. */
export const ELD_DATABASE = 'medium';

const ELD_TO_LANGUAGE: Record<string, Language> = {
  en: 'en', de: 'de', fr: 'fr', es: 'es', sq: 'sq', sr: 'sr', hr: 'sr', bs: 'sr', vi: 'vi', id: 'id', ms: 'id', ar: 'ar', ur: 'ur', fa: 'ur',
};

/** Where the subset of eld's database is kept once made (beside the trained screen models). */
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/lotse/', import.meta.url));

/** eld's database format (src/ngrams/*.js): per n-gram, the score of each language (by index) that has it. */
interface NgramsData {
  type: string;
  languages: Record<string, string>;
  isSubset: boolean;
  ngrams: Record<string, Record<string, number>>;
}

interface EldResult {
  language: string;
  isReliable(): boolean;
  getScores(): Record<string, number>;
}

export interface EldDetector {
  detect(text: string): EldResult;
  setLanguageSubset(languages: string[] | false): Record<number, string>;
}

/**
 * Only the n-grams of our languages, everything else of the database as it is: the same language
 * indexes, so each of our languages scores exactly as with the whole database and eld's subset
 * filter (which drops the other languages' scores after scoring) leaves the same result. Parsing
 * the subset takes about a twentieth of the time of loading eld's whole database (2 MB of
 * JavaScript, about 1 s on a small machine).
 */
export function ngramSubset(data: NgramsData, languages: readonly string[]): NgramsData {
  const keep = new Set(Object.entries(data.languages).filter(([, code]) => languages.includes(code)).map(([index]) => index));
  const ngrams: NgramsData['ngrams'] = {};
  for (const [ngram, scores] of Object.entries(data.ngrams)) {
    let kept: Record<string, number> | undefined;
    for (const [index, score] of Object.entries(scores)) {
      if (keep.has(index)) (kept ??= {})[index] = score;
    }
    if (kept) ngrams[ngram] = kept;
  }
  return { type: data.type, languages: data.languages, isSubset: true, ngrams };
}

/** The folder of the installed eld package (its exports map hides its files from `import`, not from the file system). */
function eldFolder(): string | undefined {
  for (const dir of createRequire(import.meta.url).resolve.paths('eld') ?? []) {
    if (existsSync(path.join(dir, 'eld', 'src', 'languageDetector.js'))) return path.join(dir, 'eld');
  }
  return undefined;
}

/** The subset from the cache, or made from eld's database and cached (a read-only install makes it at every start). */
async function subsetDatabase(folder: string): Promise<NgramsData> {
  const version = (JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;
  const file = path.join(CACHE_DIR, `eld-${version}-${ELD_DATABASE}-${[...ELD_LANGUAGES].sort().join('-')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as NgramsData;
  } catch {
    // not made yet (or unreadable): made below
  }
  const { ngramsData } = (await import(pathToFileURL(path.join(folder, 'src', 'ngrams', `${ELD_DATABASE}.js`)).href)) as { ngramsData: NgramsData };
  const subset = ngramSubset(ngramsData, ELD_LANGUAGES);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const staging = `${file}.${process.pid}.tmp`;
    writeFileSync(staging, JSON.stringify(subset));
    renameSync(staging, file);
  } catch {
    // a read-only install still works
  }
  return subset;
}

/** eld with the subset database; eld's own loader with its whole database if eld's files are not where 2.x keeps them. */
async function loadDetector(): Promise<EldDetector> {
  const folder = eldFolder();
  let detector: EldDetector | undefined;
  if (folder) {
    try {
      const data = await subsetDatabase(folder);
      const { createEld } = (await import(pathToFileURL(path.join(folder, 'src', 'languageDetector.js')).href)) as {
        createEld(): { instance: EldDetector; loadData(data: NgramsData): string };
      };
      const made = createEld();
      if (made.loadData(data)) detector = made.instance;
    } catch {
      detector = undefined;
    }
  }
  if (!detector) {
    const { eld } = await import('eld');
    await (eld as typeof eld & { load(size: string): Promise<unknown> }).load(ELD_DATABASE);
    detector = eld as EldDetector;
  }
  detector.setLanguageSubset(ELD_LANGUAGES);
  return detector;
}

/** The n-gram detector (exported for the test that holds it equal to eld with its whole database). */
export const eldDetector = await loadDetector();

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
  const result = eldDetector.detect(text);
  const language = ELD_TO_LANGUAGE[result.language];
  const confident = language !== undefined && letters.length >= 8 && result.isReliable();
  return { language: confident ? language : fallback, confident };
}
