import { normalizeText } from '../core/text/normalize-text.js';
import { STOPWORDS } from '../i18n/stopwords.js';

/**
 * Removes people's names and social-media handles from a question before statistics keep it
 * (PiiRedactor has already taken out numbers, e-mails and IBANs). It looks for what says a name
 * follows, in the ten languages Lotse speaks:
 * - a self-introduction ("my name is", "je m'appelle", "اسمي", "میرا نام", "nama saya", "tên tôi là");
 * - a title ("Mr", "Frau", "Mme", "Sra.", "Pak", "ông") or a relation ("my brother", "ma sœur",
 *   "mein Chef", "brat") followed by capitalised words;
 * - a sign-off at the end ("thanks, Amina", "— Kofi").
 * Countries, cities' countries and languages that follow such a word are kept ("my sister Germany"
 * is no name). A name with no such cue is not found: the closing note of issue 13 gives the figures.
 */
export function redactNames(text: string): string {
  let out = text.replace(HANDLE, '[handle]');
  for (const cue of [SELF_INTRODUCTION, SCRIPT_TITLE, TITLE_OR_RELATION, I_AM]) out = replaceAfterCues(out, cue);
  out = out.replace(VIETNAMESE_NAME, (match, lead: string) => (VIETNAMESE_PLACES.test(match) ? match : `${lead}${NAME_PLACEHOLDER}`));
  out = out.replace(URDU_HONORIFIC_AFTER, (_match, _name: string, honorific: string) => `${NAME_PLACEHOLDER} ${honorific}`);
  const unlessKept = (match: string, lead: string, name: string) => (name.split(/\s+/).some(isKeptWord) ? match : `${lead}${NAME_PLACEHOLDER}`);
  return out.replace(SIGN_OFF, unlessKept).replace(LAST_LINE_SIGNATURE, unlessKept);
}

const NAME_PLACEHOLDER = '[name]';
/** Telegram, Instagram or X handles: "@amina_d" (an e-mail is already "[email]"). */
const HANDLE = /(?<![\p{L}\p{N}._%+-])@[A-Za-z0-9_][A-Za-z0-9_.]{1,31}(?![\p{L}\p{N}_])/gu;

const alternatives = (words: string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]")).join('|');
/** A cue must start a word: letters before it would make it part of another word. */
const cueRegex = (words: string[]) => new RegExp(`(?<![\\p{L}\\p{M}])(?:${alternatives(words)})(?![\\p{L}\\p{M}])[\\s:,-]*`, 'giu');

/** Words after which a name comes, lower-case or not, in any script. */
const SELF_INTRODUCTION = {
  regex: cueRegex([
    'my name is', "my name's", 'my names is', 'my full name is', 'i am called', "i'm called", 'call me', 'name:',
    'ich heiße', 'ich heisse', 'mein name ist', 'mein name lautet', 'mein vorname ist', 'name ist',
    "je m'appelle", "j'm'appelle", 'mon nom est', "mon nom c'est", 'mon prénom est', "moi c'est", 'nom:',
    'me llamo', 'mi nombre es', 'mi nombre:',
    'اسمي', 'إسمي', 'أسمي', 'انا اسمي', 'أنا اسمي', 'اسمى',
    'میرا نام', 'مرا نام', 'میرا پورا نام',
    'nama saya', 'nama aku', 'namaku', 'saya bernama', 'aku bernama', 'nama lengkap saya',
    'quhem', 'emri im është', 'emri im eshte', 'emri im', 'unë quhem', 'une quhem',
    'zovem se', 'moje ime je', 'ime mi je', 'зовем се', 'моје име је', 'име ми је',
    'tên tôi là', 'tôi tên là', 'tên em là', 'em tên là', 'tên mình là', 'mình tên là', 'tên tôi', 'tôi tên', 'tên của tôi là',
    // someone else's name
    'his name is', 'her name is', 'whose name is', "son nom est", "il s'appelle", "elle s'appelle", 'er heißt', 'sie heißt', 'er heisst', 'sie heisst',
    'se llama', 'su nombre es', 'namanya', 'namanya adalah', 'bernama', 'quhet', 'emri i tij është', 'emri i saj është', 'zove se', 'њено име је', 'његово име је', 'зове се',
    'اسمه', 'اسمها', 'إسمه', 'إسمها', 'اس کا نام', 'ان کا نام', 'tên anh ấy là', 'tên cô ấy là', 'tên là',
  ]),
  /** A self-introduction names the person even in lower case or an uncased script. */
  anyCase: true,
};

/** Titles and relations: a capitalised word after them is a name ("my brother Kofi", "Frau Öztürk"). */
const TITLE_OR_RELATION = {
  regex: cueRegex([
    // titles
    'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'miss', 'dr', 'dr.', 'prof', 'prof.', 'sir', 'madam',
    'herr', 'herrn', 'frau', 'fräulein',
    'm.', 'mme', 'mme.', 'mlle', 'monsieur', 'madame', 'mademoiselle',
    'sr.', 'sra.', 'srta.', 'señor', 'señora', 'señorita', 'don', 'doña',
    'bapak', 'pak', 'ibu', 'bu', 'mas', 'mbak', 'saudara', 'saudari',
    'zoti', 'zonja', 'z.', 'znj.', 'gospodin', 'gospođa', 'gospodine', 'g.', 'gđa', 'gđa.', 'господин', 'госпођа',
    'anh', 'chị', 'em', 'ông', 'bà', 'cô', 'chú', 'bạn',
    // relations
    'named', 'nommé', 'nommée', 'namens', 'llamado', 'llamada',
    'brother', 'sister', 'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'mum', 'dad', 'cousin', 'uncle', 'aunt',
    'friend', 'fiancé', 'fiancée', 'fiance', 'fiancee', 'boss', 'employer', 'colleague', 'advisor', 'adviser', 'counsellor', 'counselor', 'teacher', 'neighbour', 'neighbor',
    'bruder', 'schwester', 'mann', 'ehemann', 'ehefrau', 'sohn', 'tochter', 'mutter', 'vater', 'cousine', 'onkel', 'tante', 'freund', 'freundin',
    'verlobter', 'verlobte', 'chef', 'chefin', 'arbeitgeber', 'kollege', 'kollegin', 'berater', 'beraterin', 'lehrer', 'lehrerin',
    'frère', 'frere', 'sœur', 'soeur', 'femme', 'mari', 'époux', 'épouse', 'epoux', 'epouse', 'fils', 'fille', 'mère', 'mere', 'père', 'pere',
    'oncle', 'ami', 'amie', 'patron', 'patronne', 'employeur', 'collègue', 'conseiller', 'conseillère', 'professeur',
    'hermano', 'hermana', 'esposa', 'esposo', 'marido', 'mujer', 'hijo', 'hija', 'madre', 'padre', 'primo', 'prima', 'tío', 'tía', 'tio', 'tia',
    'amigo', 'amiga', 'novio', 'novia', 'jefe', 'jefa', 'empleador', 'asesor', 'asesora', 'profesor', 'profesora',
    'kakak', 'adik', 'istri', 'isteri', 'suami', 'anak', 'ayah', 'sepupu', 'paman', 'bibi', 'teman', 'om', 'majikan', 'atasan',
    'vëllai', 'vellai', 'vëllain', 'motra', 'motrën', 'gruaja', 'bashkëshortja', 'burri', 'bashkëshorti', 'djali', 'vajza', 'nëna', 'babai', 'kushëriri', 'kushërira', 'shoku', 'shoqja', 'mik', 'shefi',
    'brat', 'sestra', 'žena', 'supruga', 'muž', 'suprug', 'ćerka', 'kćerka', 'kći', 'majka', 'otac', 'rođak', 'rođaka', 'ujak', 'stric', 'tetka', 'prijatelj', 'prijateljica', 'šef', 'poslodavac',
    'брат', 'сестра', 'жена', 'супруга', 'муж', 'супруг', 'син', 'ћерка', 'кћерка', 'мајка', 'отац', 'рођак', 'пријатељ', 'пријатељица', 'шеф', 'послодавац',
  ]),
  anyCase: false,
};

/** Titles in the Arabic script: the word after them is a name, though the script has no capitals ("السيد محمد", "ڈاکٹر احمد"). */
const SCRIPT_TITLE = {
  regex: cueRegex(['السيد', 'السيدة', 'الأستاذ', 'الأستاذة', 'الاستاذ', 'الاستاذة', 'الدكتور', 'الدكتورة', 'الحاج', 'الحاجة', 'الشيخ', 'جناب', 'محترم', 'محترمہ', 'ڈاکٹر', 'بیگم', 'مسٹر', 'مس']),
  anyCase: true,
  uncasedOnly: true,
};

/**
 * "I am Kofi", "je suis Amina", "soy Lucía", "saya Budi", "unë jam Arben", "ja sam Marko", "tôi là An":
 * a capitalised word after them is a name, unless it is a country, a language or a nationality
 * ("I am Ghanaian"). Not German: "ich bin Krankenpfleger" is a noun.
 */
const I_AM = {
  regex: cueRegex(["i am", "i'm", 'je suis', "moi c'est", 'soy', 'yo soy', 'saya', 'aku', 'jam', 'unë jam', 'une jam', 'ja sam', 'ја сам', 'tôi là', 'em là', 'mình là']),
  anyCase: false,
  notNationality: true,
};

/** A name word: letters (any script) with marks, inner apostrophes and hyphens ("N'Diaye", "Jean-Pierre"). */
const WORD = /[\s,]*([\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*)/uy;
/** "Amina", "Öztürk", "Јован": not "I" and not an acronym ("BAMF", "EU"). */
const isCapitalised = (word: string) => /^\p{Lu}[\p{Ll}\p{M}]/u.test(word);
const isUncased = (word: string) => !/[\p{Lu}\p{Ll}]/u.test(word);
/** Words of a name at most: "Nguyễn Thị Minh Khai". */
const MOST_WORDS = 4;

interface Cue {
  regex: RegExp;
  /** A lower-case or uncased word after it is a name too (a self-introduction). */
  anyCase: boolean;
  /** Only a word in a script without capitals (the Arabic script's titles). */
  uncasedOnly?: boolean;
  /** Not a nationality ("Nigerian", "Kosovar"): after "I am" it is no name. */
  notNationality?: boolean;
}

function replaceAfterCues(text: string, cue: Cue): string {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(cue.regex)) {
    const span = nameAfter(text, match.index + match[0].length, cue);
    if (span && !(cue.notNationality && isNationality(text.slice(span[0], span[1]).split(/\s+/)[0]!))) spans.push(span);
  }
  let out = text;
  for (const [start, end] of spans.reverse()) out = `${out.slice(0, start)}${NAME_PLACEHOLDER}${out.slice(end)}`;
  return out;
}

/** Where the name after a cue lies, or nothing when what follows is no name. */
function nameAfter(text: string, from: number, cue: Cue): [number, number] | undefined {
  let start = -1;
  let end = -1;
  let mode: 'capitalised' | 'lower' | 'uncased' | undefined;
  let position = from;
  for (let taken = 0; taken < MOST_WORDS; taken++) {
    WORD.lastIndex = position;
    const found = WORD.exec(text);
    if (!found) break;
    const word = found[1]!;
    // A name does not run on over a comma or a line break ("my brother Kofi, Accra").
    if (taken > 0 && /[\n,]/.test(found[0].slice(0, found[0].length - word.length))) break;
    const kind = isUncased(word) ? 'uncased' : isCapitalised(word) ? 'capitalised' : 'lower';
    if (taken === 0) {
      if (!cue.anyCase && kind !== 'capitalised') return undefined;
      if (cue.uncasedOnly && kind !== 'uncased') return undefined;
      if (isKeptWord(word)) return undefined;
      mode = kind;
    } else if (kind !== mode || isKeptWord(word)) break;
    // Lower-case and uncased names stop at a function word ("my name is amina and I …", "اسمي أحمد من مصر").
    // The first word after a self-introduction is the name even when it is also a word ("علي", "Hope").
    if (taken > 0 && kind !== 'capitalised' && STOPWORDS.has(normalizeText(word))) break;
    if (start < 0) start = found.index + found[0].length - word.length;
    end = found.index + found[0].length;
    position = end;
    // Lower-case or uncased: two words at most, unless the script has no case (three for "علي محمد حسن").
    if ((kind === 'lower' && taken >= 1) || (kind === 'uncased' && taken >= 2)) break;
  }
  return start < 0 ? undefined : [start, end];
}

/** Closing words; a capitalised name after them at the very end is the asker signing. */
const SIGN_OFF = new RegExp(
  `((?:${alternatives(['thanks', 'thank you', 'thx', 'regards', 'best regards', 'kind regards', 'cheers', 'merci', 'merci beaucoup', 'cordialement', 'danke', 'vielen dank', 'grüße', 'gruß', 'lg', 'mfg', 'gracias', 'saludos', 'terima kasih', 'makasih', 'salam', 'faleminderit', 'përshëndetje', 'hvala', 'pozdrav', 'срдачно', 'хвала', 'cảm ơn', 'cám ơn', 'شكرا', 'شكراً', 'شکریہ'])})[\\s,!.]*[-–—]?\\s*|\\s[-–—]\\s*)` +
    `(\\p{Lu}[\\p{L}\\p{M}'’-]+(?:\\s+\\p{Lu}[\\p{L}\\p{M}'’-]+){0,3})\\s*[.!]?\\s*$`,
  'iu',
);

/**
 * A Vietnamese full name: one of the surnames most Vietnamese carry, then capitalised syllables
 * ("Nguyễn Văn An", "Trần Thị Mai"), anywhere in the text.
 */
const VIETNAMESE_NAME = new RegExp(
  `(^|[^\\p{L}\\p{M}])(?:${['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trương', 'Mai', 'Trịnh', 'Đoàn', 'Lương', 'Nguyen', 'Tran', 'Pham', 'Hoang', 'Huynh', 'Dang', 'Bui', 'Duong', 'Truong'].join('|')})(?:\\s+\\p{Lu}[\\p{L}\\p{M}]*){1,3}(?![\\p{L}\\p{M}])`,
  'gu',
);

/** Places that look like a Vietnamese name. */
const VIETNAMESE_PLACES = /H[oồ] Ch[ií] Minh|Phan (?:Thi[eế]t|Rang)/iu;

/** Urdu puts the honorific after the name: "احمد صاحب", "فاطمہ صاحبہ". */
const URDU_HONORIFIC_AFTER = /([\p{L}\p{M}]+)\s+(صاحب|صاحبہ)(?![\p{L}\p{M}])/gu;

/** A message signed on its own last line: "…\nAmina Diallo". */
const LAST_LINE_SIGNATURE = /(\n\s*)(\p{Lu}[\p{L}\p{M}'’-]+(?:\s+\p{Lu}[\p{L}\p{M}'’-]+){0,3})\s*$/u;

/** "Nigerian", "Ghanaian", "Kosovar", "Marocain": a country's name less its last letter starts them. */
function isNationality(word: string): boolean {
  stems ??= nationalityStems();
  const normal = normalizeText(word);
  if (isKeptWord(word)) return true;
  // A country (or its stem) and a demonym's ending: "Chinedu" is "Chine" and "du", no nationality.
  for (let length = 4; length <= normal.length; length++) if (stems.has(normal.slice(0, length)) && DEMONYM_ENDINGS.has(normal.slice(length))) return true;
  return false;
}

/** How nationalities end after their country's name or stem, in the languages Lotse speaks (normalised, without accents). */
const DEMONYM_ENDINGS = new Set(['', 'n', 'an', 'ian', 'ean', 'i', 'ese', 'ish', 'er', 'erin', 'ner', 'nerin', 'aner', 'anerin', 'ais', 'aise', 'ois', 'oise', 'ain', 'aine', 'ien', 'ienne', 'en', 'enne', 'ano', 'ana', 'o', 'a', 'e', 'es', 'no', 'na', 'ar', 'ari', 'c', 'ac', 'ka', 'ski', 'ska', 'in', 'ec', 'ak', 'y']);

let stems: Set<string> | undefined;
function nationalityStems(): Set<string> {
  const found = new Set<string>();
  kept ??= keptWords();
  // "Iraq" itself starts "Iraqi"; "Nigeri" (Nigeria less its "a") starts "Nigerian". A stem has five
  // letters at least: "Oman" is no stem of "Omar", nor "Chin" (China) of "Chinedu".
  for (const word of kept) {
    if (word.length >= 4) found.add(word);
    if (word.length >= 6) found.add(word.slice(0, -1));
  }
  return found;
}

let kept: Set<string> | undefined;
/** Countries and languages in any of Lotse's languages ("Germany", "Allemagne", "Deutsch"): after a cue they are no name. */
function isKeptWord(word: string): boolean {
  kept ??= keptWords();
  const normal = normalizeText(word);
  return kept.has(normal);
}

function keptWords(): Set<string> {
  const words = new Set<string>();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const locale of ['en', 'de', 'fr', 'ar', 'es', 'id', 'sq', 'sr', 'sr-Latn', 'ur', 'vi']) {
    const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    const languages = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
    for (const a of letters) {
      for (const b of letters) {
        const region = regions.of(`${a}${b}`);
        const language = safeOf(languages, `${a}${b}`.toLowerCase());
        // A name's first word only: "Saudi" of "Saudi Arabia", not "Lucia" of "Saint Lucia".
        for (const name of [region, language]) {
          const first = name ? normalizeText(name).split(' ')[0]! : '';
          if (first.length >= 3) words.add(first);
        }
      }
    }
  }
  return words;
}

function safeOf(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code);
  } catch {
    return undefined;
  }
}
