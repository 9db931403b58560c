import { tokenize } from '../core/text/normalize-text.js';
import { contentTerms } from '../i18n/stopwords.js';
import type { LexiconMatch } from './query-lexicon.js';

/** The age from which skilled workers need a salary or pension (§18(2) no. 5 AufenthG). */
const AGE_LINE = 45;

/**
 * The English search text for a question in another language: the English words of the concepts
 * it names, plus its own words that English passages also use (names such as Dakar, ZAB or
 * anabin, levels such as B2, numbers, and cognates such as "procedure"). Undefined when the
 * question names no concept: then an English pass would only repeat the question's own words.
 */
export function englishQuery(text: string, match: LexiconMatch, englishWords: Pick<ReadonlySet<string>, 'has'>, ownWordWeight = 3): EnglishQuery | undefined {
  if (match.concepts.length === 0) return undefined;
  const weights = new Map<string, number>();
  // Each concept counts about the same however many words it has: "nurse nursing care" must not outweigh "points".
  for (const words of match.english) {
    const weight = Math.min(1, 2 / words.length);
    for (const word of words) weights.set(word, Math.max(weights.get(word) ?? 0, weight));
  }
  // The law draws an age line at 45 (§18(2) no. 5 AufenthG): "I am 47" asks about it in any language.
  const tokens = tokenize(text);
  if (match.english.some((words) => words.includes('age')) && tokens.some((w) => /^\d{2}$/.test(w) && Number(w) >= AGE_LINE && Number(w) <= 70)) {
    weights.set(String(AGE_LINE), 1);
  }
  // The question's own words that the lexicon did not read, and that English passages use: names, numbers, cognates.
  for (const word of contentTerms(tokens)) if (englishWords.has(word) && !match.words.has(word)) weights.set(word, ownWordWeight);
  return { text: [...weights.keys()].join(' '), weights };
}

export interface EnglishQuery {
  /** The English search text. */
  text: string;
  /** The weight of each of its words in lexical search: the question's own words (names, numbers) weigh most. */
  weights: ReadonlyMap<string, number>;
}
