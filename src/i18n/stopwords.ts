import { ara, deu, eng, fra, hrv, ind, spa, vie } from 'stopword';
import type { Language } from '../core/knowledge.js';
import { normalizeText } from '../core/text/normalize-text.js';

/**
 * Albanian function words: the `stopword` package has no Albanian list. Only articles,
 * pronouns, prepositions, conjunctions and auxiliaries, the words that say nothing of a topic.
 */
const ALBANIAN = `a apo as ashtu atë ata ato ai ajo cila cili cilat cilët çfarë deri dhe do duhet e i jam jemi
  jeni janë je ka kam kemi keni kanë kjo ky këtë këto kur me më mua ne në nga nuk ose pa për pse qe që sa se
  si sipas te tek të ti ty unë ju juaj jam kush mund ishte jetë është një`;

/**
 * Urdu function words and everyday fillers. The Urdu lists of `stopword` and `stopwords-iso` share
 * one mis-encoded source (e.g. "اضتعوبل" for "استعمال"), so they match nothing real.
 */
const URDU = `کا کی کے کو سے نے میں پر تک اور یا کہ جو یہ وہ ہے ہیں تھا تھی تھے ہو ہوں ہوا گا گی گے کیا کیسے کون کس کب کہاں
  کیوں مجھے میرا میری میرے ہم آپ اپنا اپنی اپنے بھی نہیں نہ ہی تو جب اگر لیے لئے ساتھ بعد پہلے کر کرنا کرتے کرتی کریں
  سکتا سکتی سکتے چاہیے والا والی والے ایک سب اچھا اچھی بہترین طریقہ طریقے کل آج بنانے بنانا بنا بتائیں کچھ بہت`;

/** Bumped whenever the lists change: the index's vectors and BM25 terms depend on them, so it is rebuilt. */
export const STOPWORDS_VERSION = 2;

/** Arabic everyday fillers the stock list lacks ("best", "way", "what's"), as the Urdu list has them. */
const ARABIC_FILLERS = 'أفضل افضل احسن أحسن طريقة طريقه طرق شو ايش ايه';

/** Words every question has that the stock lists would drop but that name Lotse's topics. */
const KEEP = new Set(['bekerja', 'kerja', 'kembali', 'pulang', 'tahun', 'jahre', 'arbeit', 'work', 'return']);

/** Words that every question here carries and that say nothing of which document answers it. */
const DOMAIN = ['germany', 'german', 'deutschland', 'allemagne', 'alemania', 'jerman', 'gjermani', 'nemacka', 'duc'];

const normalizedSet = (list: string[], keep = KEEP) => new Set(list.flatMap((word) => normalizeText(word).split(' ')).filter((token) => token && !keep.has(token)));

/** Function words per language (Serbian: the Croatian list, the same words in Latin script). */
export const STOPWORDS_BY_LANGUAGE: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: normalizedSet(eng, new Set()),
  de: normalizedSet(deu, new Set()),
  fr: normalizedSet(fra, new Set()),
  ar: normalizedSet([...ara, ...ARABIC_FILLERS.split(' ')], new Set()),
  es: normalizedSet(spa, new Set()),
  sq: normalizedSet(ALBANIAN.split(/\s+/), new Set()),
  sr: normalizedSet(hrv, new Set()),
  vi: normalizedSet(vie, new Set()),
  ur: normalizedSet(URDU.split(/\s+/), new Set()),
  id: normalizedSet(ind, new Set()),
};

/** Words that carry no topic, in all ten languages, normalised; domain words are kept. */
export const STOPWORDS: ReadonlySet<string> = normalizedSet([...[eng, deu, fra, ara, spa, hrv, vie, ind].flat(), ...ALBANIAN.split(/\s+/), ...URDU.split(/\s+/), ...ARABIC_FILLERS.split(' '), ...DOMAIN]);

/** The normalised words of a text that say something about its topic. */
export function contentTerms(tokens: string[]): string[] {
  return tokens.filter((token) => token.length > 1 && !STOPWORDS.has(token));
}
