import { normalizeText } from '../../core/text/normalize-text.js';

let kept: Set<string> | undefined;
let stems: Set<string> | undefined;

/**
 * Countries, languages, months and days in any of Lotse's languages ("Germany", "Allemagne", "Deutsch", "ألمانيا"),
 * from the runtime's own Unicode data (Intl.DisplayNames): after a cue they are no name. A name's
 * first word only: "Saudi" of "Saudi Arabia", not "Lucia" of "Saint Lucia".
 */
export function isPlaceOrLanguage(word: string): boolean {
  kept ??= placesAndLanguages();
  return kept.has(normalizeText(word));
}

/** How nationalities end after their country's name or stem (normalised, without accents). */
const DEMONYM_ENDINGS = new Set(['', 'n', 'an', 'ian', 'ean', 'i', 'ese', 'ish', 'er', 'erin', 'ner', 'nerin', 'aner', 'anerin', 'ais', 'aise', 'ois', 'oise', 'ain', 'aine', 'ien', 'ienne', 'en', 'enne', 'ano', 'ana', 'o', 'a', 'e', 'es', 'no', 'na', 'ar', 'ari', 'c', 'ac', 'ka', 'ski', 'ska', 'in', 'ec', 'ak', 'y']);
/** How a place's name ends when declined: "Nemačkom", "Njemačkoj", "Albanije". */
const CASE_ENDINGS = new Set(['u', 'om', 'oj', 'e', 'i', 'a', 'ë', 'es', 'ën', 's']);

/** "Nigerian", "Ghanaian", "Kosovar", "Marocain", "Nemačkoj": a country's name, or it less its last letter, and an ending. "Chinedu" is none. */
export function isNationality(word: string): boolean {
  kept ??= placesAndLanguages();
  if (!stems) {
    stems = new Set();
    for (const name of kept) {
      if (name.length >= 4) stems.add(name);
      if (name.length >= 6) stems.add(name.slice(0, -1));
    }
  }
  const normal = normalizeText(word);
  if (kept.has(normal)) return true;
  for (let length = 4; length <= normal.length; length++) {
    if (!stems.has(normal.slice(0, length))) continue;
    const ending = normal.slice(length);
    if (DEMONYM_ENDINGS.has(ending) || CASE_ENDINGS.has(ending)) return true;
  }
  return false;
}

/**
 * Germany's states and larger cities, as they are written in the questions (German, English,
 * French, Spanish and Serbian names): Lotse is asked about them every day, and runtimes know no city names.
 */
const GERMAN_PLACES = `Bayern Bavaria Bavière Baviera Bavari Bavarska Berlin Berlín Brandenburg Bremen Hamburg Hambourgo Hamburgo Hessen Hesse
  Niedersachsen Nordrhein-Westfalen NRW Rheinland-Pfalz Saarland Sachsen Saxony Saxe Sajonia Sachsen-Anhalt Schleswig-Holstein Thüringen Thuringia
  Baden-Württemberg München Munich Múnich Minhen Mynih Köln Cologne Colonia Frankfurt Francfort Fráncfort Stuttgart Štutgart Düsseldorf Dortmund Essen
  Leipzig Dresden Hannover Hanover Nürnberg Nuremberg Núremberg Duisburg Bochum Wuppertal Bielefeld Bonn Münster Mannheim Karlsruhe Augsburg
  Wiesbaden Mainz Kiel Aachen Freiburg Heidelberg Regensburg Würzburg Ulm Magdeburg Erfurt Rostock Potsdam Kassel Osnabrück Oldenburg Braunschweig
  Chemnitz Halle Lübeck Saarbrücken Trier Jena Göttingen Ingolstadt Wolfsburg Darmstadt Gießen Giessen Marburg Passau Bamberg Bayreuth Konstanz`;

function placesAndLanguages(): Set<string> {
  const words = new Set<string>(GERMAN_PLACES.split(/\s+/).filter(Boolean).map((place) => normalizeText(place).split(' ')[0]!));
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const locale of ['en', 'de', 'fr', 'ar', 'es', 'id', 'sq', 'sr', 'sr-Latn', 'ur', 'vi']) {
    const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    const languages = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
    for (const a of letters) {
      for (const b of letters) {
        for (const name of [regions.of(`${a}${b}`), safeOf(languages, `${a}${b}`.toLowerCase())]) {
          const first = name ? normalizeText(name).split(' ')[0]! : '';
          if (first.length >= 3) words.add(first);
        }
      }
    }
  }
  // Months and days ("im Januar", "en Mayo", "Senin"), which are capitalised in several of the languages.
  for (const locale of ['en', 'de', 'fr', 'es', 'id', 'sq', 'sr-Latn', 'vi']) {
    for (const [option, count] of [['month', 12], ['weekday', 7]] as const) {
      const format = new Intl.DateTimeFormat(locale, { [option]: 'long', timeZone: 'UTC' });
      for (let i = 0; i < count; i++) {
        const name = normalizeText(format.format(new Date(Date.UTC(2026, option === 'month' ? i : 0, option === 'month' ? 15 : 5 + i))));
        for (const word of name.split(' ')) if (word.length >= 3) words.add(word);
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

/** Beginnings of words for institutions and places named after people, in the languages users write, folded ("Universitetin", "Gimnaziju", "aerodroma", "Koch-Institut"'s "Institut"). */
const INSTITUTION_STEMS = [
  'universi', 'univerz', 'institu', 'stiftung', 'foundation', 'fondation', 'fundacion', 'hospital', 'hopital', 'klinik', 'clinic', 'schule', 'school', 'ecole',
  'escuela', 'sekolah', 'skola', 'skolu', 'skole', 'shkoll', 'college', 'colleg', 'lycee', 'gymnas', 'gimnazij', 'polytech', 'politekn', 'academ', 'akadem',
  'airport', 'aeroport', 'aerodrom', 'flughafen', 'strasse', 'street', 'avenue', 'boulevard', 'stadion', 'stadium', 'mosque', 'moschee', 'mosquee', 'masjid',
  'church', 'kirche', 'cathedral', 'centre', 'center', 'zentrum', 'memorial', 'scholarship', 'stipend', 'programm', 'fakultet', 'faculte', 'facultad',
];
/** Whole words of the same kind, too short to be beginnings, and the Arabic-script ones (folded when first used). */
const INSTITUTION_WORDS = [
  'hall', 'square', 'platz', 'plaza', 'bridge', 'park', 'road', 'rue', 'calle', 'jalan', 'rruga', 'ulica', 'bank', 'gmbh', 'prize', 'preis', 'prix', 'award',
  'جامعة', 'جامعہ', 'یونیورسٹی', 'يونيفرسيتي', 'معهد', 'مدرسة', 'مدرسہ', 'مستشفى', 'ہسپتال', 'اسپتال', 'كلية', 'کالج', 'مطار', 'ایئرپورٹ', 'اکیڈمی', 'أكاديمية',
  'مؤسسة', 'شارع', 'مسجد', 'جامع', 'اوپن', 'آباد',
];
let institutionWords: Set<string> | undefined;

/** "University", "Universitetin", "Koch-Institut", "جامعة", "آباد" (Faisal Abad): a word that makes the capitalised words beside it an institution or a place, not a person. */
export function isInstitutionWord(word: string): boolean {
  institutionWords ??= new Set(INSTITUTION_WORDS.map((w) => normalizeText(w)));
  return normalizeText(word)
    .split(' ')
    .some((part) => institutionWords!.has(part) || INSTITUTION_STEMS.some((stem) => part.startsWith(stem)));
}
