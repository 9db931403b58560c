import { foldLetters } from '../../core/text/normalize-text.js';
import { AMBIGUOUS_GIVEN_NAMES, GIVEN_NAMES_ARABIC_SCRIPT, GIVEN_NAMES_CYRILLIC, GIVEN_NAMES_LATIN } from './given-names.js';
import { isInstitutionWord, isNationality, isPlaceOrLanguage } from './known-words.js';
import { isCapitalised, replaceSpans, type Words } from './name-spans.js';

/** A word's key: lower case, no accents, Arabic letter variants and Cyrillic folded ("Miloš", "Милош" and "milos" meet). */
const keyOf = (word: string) => foldLetters(word.toLowerCase());

let known: Set<string> | undefined;
/** The given names that are nothing else (AMBIGUOUS_GIVEN_NAMES taken out), by key; made at the first call. */
function knownNames(): Set<string> {
  if (!known) {
    const ambiguous = new Set(AMBIGUOUS_GIVEN_NAMES.map(keyOf));
    known = new Set([...GIVEN_NAMES_LATIN, ...GIVEN_NAMES_ARABIC_SCRIPT, ...GIVEN_NAMES_CYRILLIC].map(keyOf).filter((key) => !ambiguous.has(key)));
  }
  return known;
}

/**
 * How Albanian and Serbian decline a given name (folded: "ë" is "e"), and what the name may end in
 * instead: "Fatmiri", "Jetonit", "Shkëlzenin", "Mirlindës" (Mirlinda); "Đorđu" (Đorđe), "Бранку"
 * (Branko), "Невеном" (Nevena), "Milanke" (Milanka), "Bojanov" (Bojan).
 */
const DECLENSIONS: Record<string, [string, string[]][]> = {
  sq: [['it', ['']], ['in', ['']], ['i', ['']], ['es', ['a', 'e']], ['en', ['a', 'e']], ['e', ['a']], ['s', ['']], ['n', ['']]],
  sr: [['om', ['', 'a', 'o', 'e']], ['em', ['', 'e']], ['ov', ['']], ['ova', ['']], ['ovo', ['']], ['ove', ['']], ['in', ['a']], ['ina', ['a']], ['u', ['', 'a', 'o', 'e']], ['a', ['', 'o', 'e']], ['e', ['a', 'o']], ['i', ['a']], ['oj', ['a']]],
};

/** Whether a word is a known given name ('exact'), or one declined in Albanian or Serbian ('declined'). */
function knownForm(word: string, language: string | undefined, names: Set<string>): 'exact' | 'declined' | undefined {
  const key = keyOf(word);
  if (names.has(key)) return 'exact';
  for (const [ending, bases] of DECLENSIONS[language ?? ''] ?? []) {
    if (!key.endsWith(ending) || key.length - ending.length < 3) continue;
    const stem = key.slice(0, key.length - ending.length);
    if (bases.some((base) => names.has(stem + base))) return 'declined';
  }
  return undefined;
}

/** A word: letters (any script) with marks, inner apostrophes and hyphens ("N'Diaye", "Okafor-Eze"). */
const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;
const isArabicScript = (word: string) => /^\p{Script=Arabic}+$/u.test(word);
/** Arabic writes "and", "for", "with" onto the next word: "وليلى", "لفاطمة". */
const ARABIC_PREFIX = /^[وفلب]/u;
/** Arabic family names and second names: "بن صالح", "أبو بكر", "عبد الرحمن". */
const ARABIC_LINKS = new Set(['بن', 'بنت', 'ابن', 'ابو', 'أبو', 'عبد'].map(keyOf));
/** "Saint", "Sankt", "Svetog", "Светог", "San": what follows is a saint (a feast day, a place). */
const SAINT = /^(?:saint|sainte|sankt|st|san|santa|santo|sveti|svetog|svetom|sveta|svete|свети|светог|светом|света|свете|shën)$/iu;
/** "'s" after a name ("Adwoa's"). */
const POSSESSIVE = /['’]s$/u;
/** Words of a name at most, the given name included. */
const MOST_WORDS = 3;

interface Token {
  word: string;
  start: number;
  end: number;
}

/**
 * Names Lotse knows as given names where nothing else marks them: "Amina wants to come too",
 * "Kann Yasmina mitkommen?", "هل تستطيع هبة أن تأتي", and in all-lower-case voice transcripts
 * "kofi says the embassy closed". A known given name counts when capitalised (any cased text)
 * or in Arabic script; in a text without capitals, also in lower case. The capitalised words
 * after it are its family names ("Klaus Brandt", "Siti Rahmawati"), as are Arabic ones with their
 * article or link ("ليلى بن صالح", "أنس الحداد"). A run of capitalised words that names an
 * institution ("Kwame Nkrumah University") is left as it is; so are names that are also words
 * (given-names.ts lists them: "Grace", "Nada", "أمل"), places, languages and function words.
 */
export function redactKnownGivenNames(text: string, words: Words, language?: string): string {
  const names = knownNames();
  const known = (word: string) => knownForm(word, language, names);
  const lowerCaseText = !/\p{Lu}/u.test(text);
  const tokens: Token[] = [...text.matchAll(WORD)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  const spans: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (text[token.start - 1] === '[') continue; // "[name]", "[handle]"
    const span = isArabicScript(token.word) ? arabicName(text, tokens, i, names, words) : casedName(text, tokens, i, known, words, lowerCaseText);
    if (!span) continue;
    spans.push(span.range);
    i = span.last;
  }
  return replaceSpans(text, spans);
}

/** Whether a word opens the text or a sentence (its capital then says nothing). */
const startsSentence = (text: string, token: Token) => /(?:^|[.!?:\n"“(])$/u.test(text.slice(0, token.start).trimEnd());

/** Whether only spaces lie between two tokens: a name does not run on over a comma or a line break. */
const adjacent = (text: string, a: Token, b: Token) => /^[^\S\n]+$/u.test(text.slice(a.end, b.start));

function casedName(text: string, tokens: Token[], i: number, known: (word: string) => 'exact' | 'declined' | undefined, words: Words, lowerCaseText: boolean): { range: [number, number]; last: number } | undefined {
  const token = tokens[i]!;
  const capitalised = isCapitalised(token.word);
  if (!capitalised && !(lowerCaseText && token.word.length >= 3)) return undefined;
  // "Adwoa's contract": the English possessive is no part of the name.
  const possessive = POSSESSIVE.exec(token.word)?.[0].length ?? 0;
  const word = token.word.slice(0, token.word.length - possessive);
  const form = known(word);
  if (!form || words.isKept(word) || isNationality(word)) return undefined;
  const previous = i > 0 && adjacent(text, tokens[i - 1]!, token) ? tokens[i - 1]! : undefined;
  // "Svetog Nikolu", "Saint Louis": a saint is a day or a place. A declined form after a capitalised
  // word within a sentence is a place's ("Novom Sadu"); after the sentence's first word it may be a name ("Ugovor Bojanov").
  if (previous && (SAINT.test(previous.word) || (form === 'declined' && isCapitalised(previous.word) && !startsSentence(text, previous)))) return undefined;
  if (possessive > 0) return { range: [token.start, token.end - possessive], last: i };
  let last = i;
  for (let j = i + 1; j < tokens.length && j - i < MOST_WORDS; j++) {
    const next = tokens[j]!;
    if (!adjacent(text, tokens[j - 1]!, next)) break;
    // Capitalised words go on a name ("Mamadou Diallo"); in a lower-case text only further given names do ("ndeye coumba").
    const goesOn = capitalised ? isCapitalised(next.word) : known(next.word) !== undefined;
    if (!goesOn || words.isKept(next.word) || isNationality(next.word)) break;
    last = j;
  }
  if (nearInstitution(text, tokens, i, last)) return undefined;
  return { range: [token.start, tokens[last]!.end], last };
}

/**
 * Whether tokens i..last name an institution or a place: an institution word within the run of
 * capitalised words around them, up to three words before them or one after ("Université Mohammed
 * V", "Gimnaziju „Milutin Milanković“", "Robert Koch-Institut", "فیصل آباد").
 */
function nearInstitution(text: string, tokens: Token[], i: number, last: number): boolean {
  let from = i;
  while (from > 0 && isCapitalised(tokens[from - 1]!.word) && adjacent(text, tokens[from - 1]!, tokens[from]!)) from--;
  let to = last;
  while (to + 1 < tokens.length && isCapitalised(tokens[to + 1]!.word) && adjacent(text, tokens[to]!, tokens[to + 1]!)) to++;
  for (let k = Math.max(0, from - 3); k <= Math.min(tokens.length - 1, to + 1); k++) {
    if (isInstitutionWord(tokens[k]!.word)) return true;
  }
  return false;
}

function arabicName(text: string, tokens: Token[], i: number, names: Set<string>, words: Words): { range: [number, number]; last: number } | undefined {
  const token = tokens[i]!;
  let start = token.start;
  let key = keyOf(token.word);
  if (ARABIC_LINKS.has(key) && i + 1 < tokens.length && adjacent(text, token, tokens[i + 1]!)) {
    // "عبد الرحمن", "أبو بكر": the link and the word after it are one name.
    const next = tokens[i + 1]!;
    if (!isArabicScript(next.word) || words.isFunctionWord(next.word)) return undefined;
    const linked = withFamilyName(text, tokens, i + 1, token.start, names, words);
    return nearInstitution(text, tokens, i, linked.last) ? undefined : linked;
  }
  if (!names.has(key) && ARABIC_PREFIX.test(token.word) && token.word.length >= 4) {
    key = keyOf(token.word.slice(1));
    start = token.start + 1;
  }
  if (!names.has(key) || words.isKept(token.word) || words.isFunctionWord(token.word.slice(start - token.start)) || isPlaceOrLanguage(token.word)) return undefined;
  const found = withFamilyName(text, tokens, i, start, names, words);
  return nearInstitution(text, tokens, i, found.last) ? undefined : found;
}

/** An Arabic-script given name and what follows it of its name: another given name, a link and its word, or a word with the article ("الحداد"). */
function withFamilyName(text: string, tokens: Token[], i: number, start: number, names: Set<string>, words: Words): { range: [number, number]; last: number } {
  let last = i;
  for (let j = i + 1; j < tokens.length && j - i < MOST_WORDS; j++) {
    const next = tokens[j]!;
    if (!isArabicScript(next.word) || !adjacent(text, tokens[j - 1]!, next) || words.isKept(next.word) || words.isFunctionWord(next.word)) break;
    const key = keyOf(next.word);
    if (ARABIC_LINKS.has(key) && j + 1 < tokens.length && isArabicScript(tokens[j + 1]!.word)) {
      last = j + 1;
      j++;
      continue;
    }
    if (!names.has(key) && !(key.startsWith('ال') && key.length >= 5)) break;
    last = j;
  }
  return { range: [start, tokens[last]!.end], last };
}
