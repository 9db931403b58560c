import { tokenize } from '../core/text/normalize-text.js';
import { contentTerms } from '../i18n/stopwords.js';

const STEM = 5;

/** The words of a passage, as matchedEvidence and topicCoverage read them. */
export interface PassageWords {
  /** True when the passage has the word, or (for a word of 5 letters or more) a word with the same 5-letter stem: inflection, plurals. */
  contains(term: string): boolean;
}

/** A set of words (the words of the English passages), asked word by word. */
export interface WordSet {
  has(word: string): boolean;
}

/**
 * Document frequencies of the words in the knowledge: rare words say more about a match than common
 * ones. It also keeps the words of every text, each word and each 5-letter stem once for the whole
 * knowledge and each text's as sorted ids in one array, so that the retriever asks a passage for
 * its words without keeping a set of strings per passage (a few megabytes instead of tens).
 */
export class TermStatistics {
  private readonly wordIds = new Map<string, number>();
  private readonly stemIds = new Map<string, number>();
  private readonly wordDf: number[] = [];
  private readonly stemDf: number[] = [];
  private readonly total: number;
  /** Text i's word ids: words[wordStart[i]] up to words[wordStart[i + 1]], ascending; the same for stems. */
  private readonly words: Int32Array;
  private readonly wordStart: Uint32Array;
  private readonly stems: Int32Array;
  private readonly stemStart: Uint32Array;

  constructor(texts: string[]) {
    const wordLists: number[][] = [];
    const stemLists: number[][] = [];
    const idOf = (ids: Map<string, number>, df: number[], key: string) => {
      let id = ids.get(key);
      if (id === undefined) {
        id = df.length;
        ids.set(key, id);
        df.push(0);
      }
      return id;
    };
    for (const text of texts) {
      const words = new Set(tokenize(text));
      const wordIds: number[] = [];
      for (const word of words) {
        const id = idOf(this.wordIds, this.wordDf, word);
        this.wordDf[id]! += 1;
        wordIds.push(id);
      }
      const stemIds: number[] = [];
      for (const stem of new Set([...words].filter((w) => w.length >= STEM).map((w) => w.slice(0, STEM)))) {
        const id = idOf(this.stemIds, this.stemDf, stem);
        this.stemDf[id]! += 1;
        stemIds.push(id);
      }
      wordLists.push(wordIds.sort((a, b) => a - b));
      stemLists.push(stemIds.sort((a, b) => a - b));
    }
    this.total = texts.length;
    [this.words, this.wordStart] = pack(wordLists);
    [this.stems, this.stemStart] = pack(stemLists);
  }

  /** Inverse document frequency of a word (or, failing that, of its 5-letter stem). */
  idf(term: string): number {
    const word = this.wordIds.get(term);
    const stem = word === undefined && term.length >= STEM ? this.stemIds.get(term.slice(0, STEM)) : undefined;
    const df = (word !== undefined ? this.wordDf[word] : stem !== undefined ? this.stemDf[stem] : undefined) ?? 0;
    return Math.log((this.total + 1) / (df + 1));
  }

  /** The words of text i (of those the statistics were made from). */
  wordsOf(i: number): PassageWords {
    return new StoredWords(this, i);
  }

  /** True when text i has the word, or (for a word of 5 letters or more) a word with the same 5-letter stem. */
  contains(i: number, term: string): boolean {
    const word = this.wordIds.get(term);
    if (word !== undefined && includes(this.words, this.wordStart[i]!, this.wordStart[i + 1]!, word)) return true;
    if (term.length < STEM) return false;
    const stem = this.stemIds.get(term.slice(0, STEM));
    return stem !== undefined && includes(this.stems, this.stemStart[i]!, this.stemStart[i + 1]!, stem);
  }

  /** Every word of the given texts. */
  wordsOfTexts(indices: Iterable<number>): WordSet {
    const member = new Uint8Array(this.wordDf.length);
    for (const i of indices) for (let at = this.wordStart[i]!; at < this.wordStart[i + 1]!; at++) member[this.words[at]!] = 1;
    const { wordIds } = this;
    return {
      has(word) {
        const id = wordIds.get(word);
        return id !== undefined && member[id] === 1;
      },
    };
  }
}

/** The words of one of the texts TermStatistics keeps. */
class StoredWords implements PassageWords {
  constructor(
    private readonly stats: TermStatistics,
    private readonly text: number,
  ) {}

  contains(term: string): boolean {
    return this.stats.contains(this.text, term);
  }
}

/** Lists of ids in one array, with where each starts. */
function pack(lists: number[][]): [Int32Array, Uint32Array] {
  const start = new Uint32Array(lists.length + 1);
  lists.forEach((list, i) => (start[i + 1] = start[i]! + list.length));
  const all = new Int32Array(start[lists.length]!);
  lists.forEach((list, i) => all.set(list, start[i]!));
  return [all, start];
}

/** Binary search of an ascending range. */
function includes(ids: Int32Array, from: number, to: number, id: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = ids[mid]!;
    if (at === id) return true;
    if (at < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** The distinct topic words of a question, once per question. */
export function questionTerms(question: string): string[] {
  return [...new Set(contentTerms(tokenize(question)))];
}

/** The words of one passage, on their own (the retriever keeps its passages' words in TermStatistics). */
export function passageWords(passage: string): PassageWords {
  const words = new Set(tokenize(passage));
  const stems = new Set([...words].filter((w) => w.length >= STEM).map((w) => w.slice(0, STEM)));
  return { contains: (term) => words.has(term) || (term.length >= STEM && stems.has(term.slice(0, STEM))) };
}

/**
 * The evidence a passage gives for a question: the summed IDF of the question's topic words that
 * the passage contains (prefixes count: inflection, plurals). One lucky common word scores little;
 * two rare domain words ("Chancenkarte", "Punkte") score a lot.
 */
export function matchedEvidence(terms: readonly string[], words: PassageWords, stats: TermStatistics): number {
  return terms.filter((term) => words.contains(term)).reduce((sum, term) => sum + stats.idf(term), 0);
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
