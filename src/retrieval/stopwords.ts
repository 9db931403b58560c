import { ara, deu, eng, fra, hrv, ind, spa, vie } from 'stopword';
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

/** Words every question has that the stock lists would drop but that name Lotse's topics. */
const KEEP = new Set(['bekerja', 'kerja', 'kembali', 'pulang', 'tahun', 'jahre', 'arbeit', 'work', 'return']);

/** Words that every question here carries and that say nothing of which document answers it. */
const DOMAIN = ['germany', 'german', 'deutschland', 'allemagne', 'alemania', 'jerman', 'gjermani', 'nemacka', 'duc'];

function build(): Set<string> {
  const words = new Set<string>();
  const lists = [eng, deu, fra, ara, spa, hrv, vie, ind, ALBANIAN.split(/\s+/), URDU.split(/\s+/), DOMAIN];
  for (const list of lists) {
    for (const word of list) {
      for (const token of normalizeText(word).split(' ')) if (token && !KEEP.has(token)) words.add(token);
    }
  }
  return words;
}

export const STOPWORDS: ReadonlySet<string> = build();

/** The normalised words of a text that say something about its topic. */
export function contentTerms(tokens: string[]): string[] {
  return tokens.filter((token) => token.length > 1 && !STOPWORDS.has(token));
}
