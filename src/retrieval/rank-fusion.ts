import type { PassageWords } from './retrieval-confidence.js';

/** Reciprocal-rank-fusion constant: the usual 60 flattens the top; a small corpus wants sharper. */
export const RRF_K = 20;
/** The English pass falls off faster than the question's own: its first hits are what it is for. */
const ENGLISH_RRF_K = 5;

/** Where a passage stood in each of the four searches (undefined: not among its candidates). */
export interface Ranks {
  vectorRank?: number;
  lexicalRank?: number;
  englishVectorRank?: number;
  englishLexicalRank?: number;
}

export interface FusionWeights {
  /** Weight of a passage in the question's own language (default 1.3). */
  languageBoost: number;
  /** Weights of the English vector and lexical passes; their first hit scores 1/RRF_K times these (defaults 0.75 and 1.5). */
  englishVectorWeight: number;
  englishLexicalWeight: number;
  /**
   * Trust in the question's own pass once an English pass ran, from a passage that shares none of
   * the question's topic words to one that shares them all (defaults 0.2 and 0.8). Without the
   * topic in its language, the own pass ranks passages by the language alone.
   */
  ungroundedWeight: number;
  groundedWeight: number;
  /** Share of the weaker of the two passes added to the stronger (default 0.4): both agreeing beats either alone. */
  agreementWeight: number;
}

const rrf = (rank: number | undefined, k = RRF_K) => (rank === undefined ? 0 : 1 / (k + rank));

/** The question's own pass, dense and lexical, as in plain hybrid retrieval. */
export function ownScore(ranks: Ranks): number {
  return rrf(ranks.vectorRank) + rrf(ranks.lexicalRank);
}

/** The English pass; its first hit scores like the own pass's first hit (1/RRF_K). */
export function englishScore(ranks: Ranks, weights: FusionWeights): number {
  const scaled = (rank: number | undefined) => (ENGLISH_RRF_K / RRF_K) * rrf(rank, ENGLISH_RRF_K);
  return weights.englishVectorWeight * scaled(ranks.englishVectorRank) + weights.englishLexicalWeight * scaled(ranks.englishLexicalRank);
}

/** Share of the question's topic words (each with its readings) that a passage contains, inflected forms included. */
export function topicCoverage(topicWords: readonly string[][], words: PassageWords): number {
  if (topicWords.length === 0) return 1;
  let covered = 0;
  for (const readings of topicWords) {
    for (const word of readings) {
      if (words.contains(word)) {
        covered += 1;
        break;
      }
    }
  }
  return covered / topicWords.length;
}

export interface FusionInput {
  own: number;
  /** The English pass's score of the passage, or for a translation in the question's language, of its English original. */
  english: number;
  /** True when the passage is in the question's language. */
  inQuestionLanguage: boolean;
  /** topicCoverage of the passage; only read when an English pass ran. */
  coverage: number;
}

/**
 * One score from the two passes. Without an English pass: the own pass, boosted in the question's
 * language (plain hybrid retrieval). With one: the stronger pass plus a share of the weaker, the own
 * pass trusted as far as the passage shares the question's topic words.
 */
export function fuse(input: FusionInput, englishPass: boolean, weights: FusionWeights): number {
  const boost = input.inQuestionLanguage ? weights.languageBoost : 1;
  if (!englishPass) return input.own * boost;
  const trust = weights.ungroundedWeight + (weights.groundedWeight - weights.ungroundedWeight) * input.coverage;
  const own = input.own * trust * boost;
  return Math.max(own, input.english) + weights.agreementWeight * Math.min(own, input.english);
}
