import { tokenize } from '../core/text/normalize-text.js';
import { contentTerms } from '../i18n/stopwords.js';

const STEM = 5;

/** Document frequencies of the words in the knowledge: rare words say more about a match than common ones. */
export class TermStatistics {
  private readonly df = new Map<string, number>();
  private readonly stemDf = new Map<string, number>();

  constructor(texts: string[]) {
    for (const text of texts) {
      const words = new Set(tokenize(text));
      for (const word of words) this.df.set(word, (this.df.get(word) ?? 0) + 1);
      for (const stem of new Set([...words].filter((w) => w.length >= STEM).map((w) => w.slice(0, STEM)))) {
        this.stemDf.set(stem, (this.stemDf.get(stem) ?? 0) + 1);
      }
    }
    this.total = texts.length;
  }

  private readonly total: number;

  /** Inverse document frequency of a word (or, failing that, of its 5-letter stem). */
  idf(term: string): number {
    const df = this.df.get(term) ?? (term.length >= STEM ? this.stemDf.get(term.slice(0, STEM)) : undefined) ?? 0;
    return Math.log((this.total + 1) / (df + 1));
  }
}

/** The distinct topic words of a question, once per question. */
export function questionTerms(question: string): string[] {
  return [...new Set(contentTerms(tokenize(question)))];
}

/** The words of a passage and their 5-letter stems, as matchedEvidence reads them. */
export interface PassageWords {
  words: ReadonlySet<string>;
  stems: ReadonlySet<string>;
}

export function passageWords(passage: string): PassageWords {
  const words = new Set(tokenize(passage));
  return { words, stems: new Set([...words].filter((w) => w.length >= STEM).map((w) => w.slice(0, STEM))) };
}

/**
 * The evidence a passage gives for a question: the summed IDF of the question's topic words that
 * the passage contains (prefixes count: inflection, plurals). One lucky common word scores little;
 * two rare domain words ("Chancenkarte", "Punkte") score a lot.
 */
export function matchedEvidence(terms: readonly string[], { words, stems }: PassageWords, stats: TermStatistics): number {
  return terms
    .filter((term) => words.has(term) || (term.length >= STEM && stems.has(term.slice(0, STEM))))
    .reduce((sum, term) => sum + stats.idf(term), 0);
}

export interface ConfidenceInputs {
  /** Cosine similarity of the question and the best passage. */
  similarity: number;
  /** The highest matchedEvidence among the best passages. */
  evidence: number;
}

/**
 * How sure retrieval is, in [0, 1]. Similarity alone rewards passages that share only the
 * language; evidence alone can be fooled by a rare word. Each is rescaled to the range seen
 * between out-of-scope and answerable questions (test/fixtures), then averaged.
 */
export function confidenceOf({ similarity, evidence }: ConfidenceInputs): number {
  const clamp = (x: number) => Math.max(0, Math.min(1, x));
  return clamp(0.4 * clamp((similarity - 0.1) / 0.35) + 0.6 * clamp(evidence / 14));
}
