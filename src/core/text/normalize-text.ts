/**
 * Folds text so that the forms users actually type meet the forms the documents use:
 * case, accents and tone marks (Vietnamese typed without diacritics), Arabic-script letter
 * variants (Arabic and Urdu keyboards), Arabic short vowels, and Serbian Cyrillic to Latin.
 */
/** Bumped whenever normalisation changes, so that an index built with the old one is rebuilt. */
export const NORMALIZATION_VERSION = 2;

const SERBIAN_CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'dj', е: 'e', ж: 'z', з: 'z', и: 'i', ј: 'j', к: 'k',
  л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'c', у: 'u',
  ф: 'f', х: 'h', ц: 'c', ч: 'c', џ: 'dz', ш: 's',
};

const ARABIC_SCRIPT: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ئ': 'ي', 'ې': 'ي', 'ة': 'ه', 'ۃ': 'ه', 'ہ': 'ه',
  'ھ': 'ه', 'ؤ': 'و', 'ک': 'ك', 'ـ': '',
};

const LATIN_SPECIAL: Record<string, string> = { ß: 'ss', đ: 'dj', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ı: 'i' };

const MAPPED = /[\u0400-\u04ff\u0600-\u06ffßđłøæœı]/gu;
const TABLE: Record<string, string> = { ...SERBIAN_CYRILLIC, ...ARABIC_SCRIPT, ...LATIN_SPECIAL };

/**
 * Folds letters the way normalizeText does (case of non-ASCII letters, accents, script variants)
 * but leaves everything else as it is: for regular expressions written against normalised text,
 * whose syntax (\\W, [A-Z], punctuation) must survive.
 */
export function foldLetters(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\P{ASCII}/gu, (ch) => ch.toLowerCase())
    .replace(MAPPED, (ch) => TABLE[ch] ?? ch)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

/** Texts up to this length are remembered once normalised (messages, sentences, headings). */
const REMEMBERED_LENGTH = 1000;
/** Normalised texts remembered: at most twice this many (two generations). */
const REMEMBERED = 1024;
let recent = new Map<string, string>();
let older = new Map<string, string>();

/**
 * Lower-cased, accent-free, script-folded text with punctuation turned into spaces; a word that
 * changes script is split there ("الchancenkarte": the Arabic article on a German word).
 *
 * A turn reads one message in many places (commands, small talk, the screens, retrieval, the
 * answer's sentences): the result for a short text is remembered, so that the work is done once.
 * The memory is bounded: two generations of REMEMBERED texts, the older dropped when the newer fills.
 */
export function normalizeText(text: string): string {
  if (text.length > REMEMBERED_LENGTH) return normalize(text);
  let normalized = recent.get(text);
  if (normalized !== undefined) return normalized;
  normalized = older.get(text) ?? normalize(text);
  if (recent.size >= REMEMBERED) {
    older = recent;
    recent = new Map();
  }
  recent.set(text, normalized);
  return normalized;
}

function normalize(text: string): string {
  return foldLetters(text.toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/(\p{Script=Arabic})(?=\p{Script=Latin})|(\p{Script=Latin})(?=\p{Script=Arabic})/gu, '$1$2 ')
    .trim();
}

/** The normalised words of a text. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** True when the whole message is one of the given (normalised) words or phrases. */
export function isOneOf(text: string, words: readonly string[]): boolean {
  const normalized = normalizeText(text.replace(/^\//, ''));
  return normalized !== '' && words.includes(normalized);
}
