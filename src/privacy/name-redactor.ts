import { normalizeText } from '../core/text/normalize-text.js';
import { isLanguage, type Language } from '../core/knowledge.js';
import { STOPWORDS, STOPWORDS_BY_LANGUAGE } from '../i18n/stopwords.js';
import {
  AND_I, ARABIC_CUES, GERMAN_NOUN_ENDINGS, GERMAN_PEOPLE_NOUNS, GREETINGS, HERE, HONORIFICS_AFTER, I_AM, I_AM_ENGLISH, I_AND, IS_MY, OPENINGS, RELATIONS, SELF_INTRODUCTIONS, SIGN_OFFS, STRONG_TITLES, TITLES, TOLD, URDU_CUES, VIETNAMESE_SURNAMES,
} from './names/cue-words.js';
import { redactKnownGivenNames } from './names/known-given-names.js';
import { isInstitutionWord, isNationality, isPlaceOrLanguage } from './names/known-words.js';
import { isCapitalised, NAME, replaceSpans, type Words } from './names/name-spans.js';

/**
 * Removes people's names and social-media handles from a question before statistics keep it
 * (PiiRedactor has already taken out numbers, e-mails and IBANs). A name is found by what the text
 * says around it, in the ten languages Lotse speaks (src/privacy/names/cue-words.ts):
 * - a self-introduction ("my name is", "je m'appelle", "اسمي", "mera naam", "tên tôi là"), or someone
 *   else's ("his name is", "se llama");
 * - a title, a relation or a verb of meeting before capitalised words ("Frau Öztürk", "my brother
 *   Kofi", "hablé con Esperanza", "thanks to Victoria"), "I am" before one ("saya Budi");
 * - a first person beside it ("Kofi and I", "main aur Usman"), a verb of saying after it ("Moussa
 *   told me"), "here" after it at the start ("Amal hier"), an honorific after it ("Imran bhai");
 * - a line of its own ("Buenas tardes\nMilagros Quispe\n…"), a signature ("Thanks, Kwame");
 * - a Vietnamese family name before capitalised syllables ("Trần Thị Mai"); an Arabic or Urdu
 *   relation or title before a word ("أخي سعيد", "میرے شوہر عمران خان").
 * - a common given name wherever it stands ("Amina wants to come too", "kofi says…", "Fatmiri" declined),
 *   with the family names after it, unless the words around it name an institution or a place
 *   ("Kwame Nkrumah University", "Novom Sadu"): src/privacy/names/known-given-names.ts.
 * Countries, nationalities and languages after such a word are kept ("my sister Germany"). An
 * unusual name with no cue stays: the held-out tests give the measured share.
 */
export function redactNames(text: string, language?: string): string {
  const words = wordsOf(language);
  let out = text.replace(HANDLE, '[handle]');
  out = out.replace(VIETNAMESE_NAME, (match, lead: string) => (VIETNAMESE_PLACES.test(match) ? match : `${lead}${NAME}`));
  const cues: Cue[] = [SELF_INTRODUCTION, STRONG_TITLE, URDU_CUE, ARABIC_CUE, TITLE_OR_RELATION, OPENING, I_AM_CUE, I_AND_CUE, ...(language === 'en' ? [I_AM_ENGLISH_CUE] : [])];
  for (const cue of cues) out = replaceAfterCues(out, cue, words);
  // "Rahmat dan Sukarni mau …": two names joined at a sentence's start (not in German, whose nouns are capitalised).
  const before = [AND_I_AFTER, TOLD_AFTER, HONORIFIC_AFTER, HERE_AFTER, IS_MY_AFTER, ARABIC_AND_I, ...(language === 'de' ? [] : [PAIR_AT_START])];
  for (const rule of before) out = replaceBefore(out, rule, words);
  out = out.replace(POSSESSIVE, (match, name: string, rest: string) => (words.isKept(name) ? match : `${NAME}${rest}`));
  out = namesOnTheirOwnLines(out, words);
  out = out.replace(SIGN_OFF, (match, lead: string, name: string) => (name.split(/\s+/).some(words.isKept) ? match : `${lead}${NAME}`));
  out = redactKnownGivenNames(out, words, language);
  return joinedNames(out, words);
}

/** Telegram, Instagram or X handles: "@amina_d" (an e-mail is already "[email]"). */
const HANDLE = /(?<![\p{L}\p{N}._%+-])@[A-Za-z0-9_][A-Za-z0-9_.]{1,31}(?![\p{L}\p{N}_])/gu;
/** A capitalised word ("Amina", "Öztürk", "Јован", "N'Diaye", "Al-Khatib"), not an acronym ("BAMF"). */
const CAPITALISED = "\\p{Lu}[\\p{Ll}\\p{M}]+(?:['’-]\\p{L}[\\p{L}\\p{M}]*)*";

/** A word as a pattern: special characters escaped, either apostrophe, any spaces; each letter as `letter` makes it. */
const pattern = (word: string, letter: (ch: string) => string) =>
  Array.from(word)
    .map((ch) => (/[.*+?^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch === "'" ? "['’]" : ch === ' ' ? '\\s+' : letter(ch)))
    .join('');
/** Longest first, so that "dr." is tried before "dr" and "emri im është" before "emri im". */
const alternatives = (words: string[], letter: (ch: string) => string = (ch) => ch) => [...words].sort((a, b) => b.length - a.length).map((word) => pattern(word, letter)).join('|');
/** The same, each letter in either case, for patterns whose name part must keep its capital (no "i" flag). */
const caseless = (words: string[]) => alternatives(words, (ch) => (ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch));
/** A cue must start a word: letters before it would make it part of another word. */
const cueRegex = (words: string[]) => new RegExp(`(?<![\\p{L}\\p{M}])(?:${alternatives(words)})(?![\\p{L}\\p{M}])[\\s:,-]*`, 'giu');

interface Cue {
  regex: RegExp;
  /** A lower-case or uncased word after it is a name too (a self-introduction). */
  anyCase?: boolean;
  /** Only words in a script without capitals (Arabic, Urdu), at most this many. */
  uncased?: number;
  /** Not a nationality ("Nigerian", "Kosovar"), nor a German noun after "ich bin". */
  notNationality?: boolean;
  /** Counts only this near the text's start ("Hi Lotse, it's Nana Ama"). */
  withinStart?: number;
}

const SELF_INTRODUCTION: Cue = { regex: cueRegex(SELF_INTRODUCTIONS), anyCase: true };
const STRONG_TITLE: Cue = { regex: cueRegex(STRONG_TITLES), anyCase: true };
const TITLE_OR_RELATION: Cue = { regex: cueRegex([...TITLES, ...RELATIONS]) };
const OPENING: Cue = { regex: cueRegex(OPENINGS), withinStart: 40 };
const I_AM_CUE: Cue = { regex: cueRegex(I_AM), notNationality: true };
const I_AM_ENGLISH_CUE: Cue = { regex: cueRegex(I_AM_ENGLISH), notNationality: true, withinStart: 30 };
const I_AND_CUE: Cue = { regex: cueRegex(I_AND) };
/** Arabic writes "and" onto the next word: "وأخوه عمر". */
const ARABIC_CUE: Cue = { regex: cueRegex(ARABIC_CUES.flatMap((cue) => [cue, `و${cue}`])), uncased: 1 };
const URDU_CUE: Cue = { regex: cueRegex(URDU_CUES), uncased: 2 };

/** A name word: letters (any script) with marks, inner apostrophes and hyphens ("N'Diaye", "Jean-Pierre"). */
const WORD = /[\s,]*([\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*)/uy;
const isUncased = (word: string) => !/[\p{Lu}\p{Ll}]/u.test(word);
/** Titles that may stand between a cue and the name ("Herrn Dr. Yılmaz"). */
const INNER_TITLES = new Set(['مسٹر', 'جناب', 'ڈاکٹر', 'محترم', 'dr', 'prof', 'doctor', 'doktor', 'mr', 'mrs', 'ms', 'herr', 'frau', 'pak', 'bu', 'ibu', 'السيد', 'السيدة', 'الأستاذ', 'الأستاذة', 'الاستاذ', 'الدكتور', 'الدكتورة', 'الحاج', 'الشيخ']);
/** Honorifics, titles and God ("gracias a Dios", "thanks to God"): around a name, never one. */
const NOT_NAMES = new Set([...HONORIFICS_AFTER, 'sahib', 'doctor', 'sir', 'madam', 'dear', 'team', 'god', 'gott', 'dieu', 'dios', 'allah', 'tuhan', 'zot', 'bog', 'бог']);
/** Words of a name at most: "Nguyễn Thị Minh Khai". */
const MOST_WORDS = 4;
/** Present-tense verbs in Arabic start so: "أخي يعيش" is my brother living, not a name. */
const ARABIC_VERB_START = /^[يتن]/u;

const wordsByLanguage = new Map<string, Words>();
/** The function words of the question's language and English, which many mix in; of all ten when the language is not known. Made once per language. */
function wordsOf(language: string | undefined): Words {
  const key = language && isLanguage(language) ? language : '';
  let words = wordsByLanguage.get(key);
  if (!words) {
    const functionWords: ReadonlySet<string> = key ? new Set([...STOPWORDS_BY_LANGUAGE[key as Language], ...STOPWORDS_BY_LANGUAGE.en]) : STOPWORDS;
    const isFunctionWord = (word: string) => functionWords.has(normalizeText(word));
    const isKept = (word: string) => isPlaceOrLanguage(word) || isFunctionWord(word);
    words = { isFunctionWord, isKept, isNoName: (word) => isKept(word) || GREETING_WORDS.has(normalizeText(word)) };
    wordsByLanguage.set(key, words);
  }
  return words;
}

function replaceAfterCues(text: string, cue: Cue, words: Words): string {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(cue.regex)) {
    if (cue.withinStart !== undefined && match.index > cue.withinStart) continue;
    const span = nameAfter(text, match.index + match[0].length, cue, words);
    if (!span) continue;
    const first = text.slice(span[0], span[1]).split(/\s+/)[0]!;
    if (cue.notNationality && (isNationality(first) || isGermanNoun(first, match[0]))) continue;
    if (VIETNAMESE_PLACES.test(text.slice(Math.max(0, match.index - 3), span[1]))) continue;
    // Two cues before one name ("talked to Frau Schneider"): it is replaced once.
    if (spans.some(([start, end]) => span[0] < end && start < span[1])) continue;
    spans.push(span);
  }
  return replaceSpans(text, spans);
}

/**
 * After "ich bin", a capitalised word is more often a noun ("Krankenpfleger", "Ärztin") than a
 * name; after "I am" in another language, a long German word for a job is ("Em là Pflegefachfrau").
 */
function isGermanNoun(word: string, cue: string): boolean {
  const lower = word.toLowerCase();
  if (!/^ich\s+bin/iu.test(cue)) return lower.length >= 9 && GERMAN_JOB_ENDINGS.test(lower);
  return GERMAN_NOUN_ENDINGS.test(lower) || GERMAN_PEOPLE_NOUNS.has(lower);
}
const GERMAN_JOB_ENDINGS = /(?:frau|mann|kraft|ung|heit|keit|schaft|erin|istin|antin|entin|helfer|pfleger)$/u;

/** Where the name after a cue lies, or nothing when what follows is no name. */
function nameAfter(text: string, from: number, cue: Cue, words: Words): [number, number] | undefined {
  let start = -1;
  let end = -1;
  let mode: 'capitalised' | 'lower' | 'uncased' | undefined;
  let position = from;
  for (let taken = 0; taken < MOST_WORDS; ) {
    WORD.lastIndex = position;
    const found = WORD.exec(text);
    if (!found) break;
    const word = found[1]!;
    const gap = found[0].slice(0, found[0].length - word.length);
    // A name does not run on over a comma or a line break ("my brother Kofi, Accra").
    if (taken > 0 && /[\n,]/.test(gap)) break;
    // "Herrn Dr. Yılmaz": a title between the cue and the name is passed over.
    if (taken === 0 && INNER_TITLES.has(word.toLowerCase())) {
      position = found.index + found[0].length + (text[found.index + found[0].length] === '.' ? 1 : 0);
      continue;
    }
    const kind = isUncased(word) ? 'uncased' : isCapitalised(word) ? 'capitalised' : 'lower';
    if (NOT_NAMES.has(word.toLowerCase())) break;
    if (taken === 0) {
      if (cue.uncased !== undefined) {
        if (kind !== 'uncased' || words.isFunctionWord(word) || isPlaceOrLanguage(word) || (cue.uncased === 1 && ARABIC_VERB_START.test(word))) return undefined;
      } else if (!cue.anyCase && kind !== 'capitalised') return undefined;
      // "il s'appelle pas" (is not called): a function word in Latin letters is no name.
      if (kind === 'lower' && words.isFunctionWord(word)) return undefined;
      if (isPlaceOrLanguage(word)) return undefined;
      mode = kind;
    } else if (kind !== mode || isPlaceOrLanguage(word)) break;
    // Lower-case and uncased names stop at a function word ("my name is amina and I …", "اسمي أحمد من مصر").
    // The first word after a self-introduction is the name even when it is also a word ("علي", "Hope").
    if (taken > 0 && kind !== 'capitalised' && words.isFunctionWord(word)) break;
    if (start < 0) start = found.index + found[0].length - word.length;
    end = found.index + found[0].length;
    position = end;
    taken++;
    const most = cue.uncased ?? (kind === 'lower' ? 2 : kind === 'uncased' ? 3 : MOST_WORDS);
    if (taken >= most) break;
  }
  return start < 0 ? undefined : [start, end];
}

/** A rule for a name before its cue: the name's group is replaced where `accept` says so. */
interface Before {
  regex: RegExp;
  /** Which capture group holds the name. */
  group: number;
}

/** Up to three capitalised words, one not a function word, country or language. */
const NAMES_BEFORE = `((?:${CAPITALISED})(?:\\s+${CAPITALISED}){0,2})`;
const START = '(?:^|[.!?¿¡:;]\\s*|\\n\\s*|,\\s*)';
/** "Kofi and I", "Paz, Amparo y yo", "نور وأنا". */
const AND_I_AFTER: Before = { regex: new RegExp(`${START}${NAMES_BEFORE}(?:,\\s*${NAMES_BEFORE})?\\s*,?\\s+(?:${caseless(AND_I)})(?![\\p{L}\\p{M}])`, 'gu'), group: 0 };
/** "Moussa told me", "Noël (mon cousin) dit", "Nada mi je rekla": at a sentence's start. */
const TOLD_AFTER: Before = { regex: new RegExp(`${START}${NAMES_BEFORE}(?:\\s*\\([^)]{0,40}\\))?\\s+(?:${caseless(TOLD)})(?![\\p{L}\\p{M}])`, 'gu'), group: 1 };
/** "Imran bhai", "Sana baji", "احمد صاحب". */
const HONORIFIC_AFTER: Before = { regex: new RegExp(`((?:${CAPITALISED})|[\\p{Script=Arabic}]+)\\s+(?:${caseless(HONORIFICS_AFTER)})(?![\\p{L}\\p{M}])`, 'gu'), group: 1 };
/** "Amal hier", "Gëzim këtu", "Zainab yahan hai", near the start. */
const HERE_AFTER: Before = { regex: new RegExp(`^(?:[^\\n]{0,30}?[\\s,.!])?${NAMES_BEFORE}\\s*,?\\s+(?:${caseless(HERE)})(?![\\p{L}\\p{M}])`, 'gu'), group: 1 };

function replaceBefore(text: string, rule: Before, words: Words): string {
  return text.replace(rule.regex, (match: string, ...groups: unknown[]) => {
    const names = rule.group === 0 ? groups.slice(0, 2).filter((g): g is string => typeof g === 'string') : [groups[rule.group - 1] as string];
    // "Universiteti i Tiranës": one word names an institution, so the other is a place.
    if (names.some((name) => name.split(/\s+/).some(isInstitutionWord))) return match;
    let out = match;
    for (const name of names) {
      if (!name || name.split(/\s+/).some((word) => words.isNoName(word) || NOT_NAMES.has(word.toLowerCase())) || isNationality(name.split(/\s+/)[0]!)) continue;
      out = out.replace(name, NAME);
    }
    return out;
  });
}

/** "Khushi meri beti hai", "Amina is my sister", "Drita është motra ime". */
const IS_MY_AFTER: Before = { regex: new RegExp(`${START}${NAMES_BEFORE}\\s+(?:${caseless(IS_MY)})\\s+(?:${caseless(RELATIONS)})(?![\\p{L}\\p{M}])`, 'gu'), group: 1 };
/** "نور وأنا". */
const ARABIC_AND_I: Before = { regex: /([\p{Script=Arabic}]+)\s+و(?:أنا|انا)(?![\p{L}\p{M}])/gu, group: 1 };
/** "Agim dhe Fatos duan", "Jovana i Mira su": one capitalised word, "and", another, then lower case. */
const PAIR_AT_START: Before = { regex: new RegExp(`${START}((?:${CAPITALISED}))\\s+(?:and|et|y|e|dan|dhe|i|и|aur|và|und)\\s+${NAMES_BEFORE}(?=,?\\s+\\p{Ll})`, 'gu'), group: 0 };

/** "Ahmed's mother", "Ahmed's brother". */
const POSSESSIVE = new RegExp(`(${CAPITALISED})(['’]s\\s+(?:${caseless(RELATIONS)})(?![\\p{L}\\p{M}]))`, 'gu');

const GREETING_WORDS = new Set(GREETINGS.map((greeting) => normalizeText(greeting)));
/** A line that is only a name: one to four capitalised words (or up to three Arabic-script words), perhaps a comma. */
const NAME_LINE = new RegExp(`^\\s*((?:${CAPITALISED})(?:\\s+${CAPITALISED}){0,3}|[\\p{Script=Arabic}]+(?:\\s+[\\p{Script=Arabic}]+){0,2})\\s*,?\\s*$`, 'u');

/** In a text of several lines, a line that holds only a name is one ("Buenas tardes\nMilagros Quispe\n…"). */
function namesOnTheirOwnLines(text: string, words: Words): string {
  if (!text.includes('\n')) return text.replace(START_NAME, (match, name: string, rest: string) => (name.split(/\s+/).some(words.isNoName) ? match : `${NAME}${rest}`));
  return text
    .split('\n')
    .map((line) => {
      const name = NAME_LINE.exec(line)?.[1];
      if (!name || GREETING_WORDS.has(normalizeText(name)) || name.split(/\s+/).some(words.isNoName)) return line;
      return line.replace(name, NAME);
    })
    .join('\n');
}

/** "Flutura Shala, infermiere nga Peja": two or three capitalised words, a comma, then lower case. */
const START_NAME = new RegExp(`^((?:${CAPITALISED})(?:\\s+${CAPITALISED}){1,2})(,\\s+\\p{Ll})`, 'u');

/** Closing words; a capitalised name after them at the very end is the asker signing ("Thanks, Kwame", "— Kofi"). */
const SIGN_OFF = new RegExp(`((?:${caseless(SIGN_OFFS)})[\\s,!.]*[-–—]?\\s*|\\s[-–—]\\s*)(${CAPITALISED}(?:\\s+${CAPITALISED}){0,3})\\s*[.!]?\\s*$`, 'u');

/** "[name] et Adam", "[name], Raza": names joined to a name are names. */
const JOINED = new RegExp(`\\[name\\](\\s*(?:,|&|\\s(?:and|und|et|y|e|dan|dhe|i|и|aur|và|với))\\s*)(${CAPITALISED})(?![\\p{L}\\p{M}])`, 'gu');
function joinedNames(text: string, words: Words): string {
  let out = text;
  for (let again = 0; again < 3; again++) {
    const next = out.replace(JOINED, (match, joint: string, name: string) => (words.isKept(name) || isNationality(name) ? match : `${NAME}${joint}${NAME}`));
    if (next === out) break;
    out = next;
  }
  return out;
}

/** A Vietnamese full name: a common family name, then capitalised syllables ("Nguyễn Văn An", "Trần Thị Mai"). */
const VIETNAMESE_NAME = new RegExp(`(^|[^\\p{L}\\p{M}])(?:${VIETNAMESE_SURNAMES.join('|')})(?:\\s+\\p{Lu}[\\p{L}\\p{M}]*){1,3}(?![\\p{L}\\p{M}])`, 'gu');
/** Places that look like a Vietnamese name. */
const VIETNAMESE_PLACES = /H[oồ] Ch[ií] Minh|Phan (?:Thi[eế]t|Rang)/iu;
