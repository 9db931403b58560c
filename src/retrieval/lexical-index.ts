import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { tokenize } from '../core/text/normalize-text.js';
import { STOPWORDS } from '../i18n/stopwords.js';

export interface LexicalEntry {
  id: string;
  title: string;
  headings: string;
  text: string;
}

const OPTIONS: Options<LexicalEntry> = {
  fields: ['title', 'headings', 'text'],
  storeFields: [],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => (term.length < 2 || STOPWORDS.has(term) ? null : term),
  searchOptions: {
    boost: { title: 2, headings: 1.5 },
    combineWith: 'OR',
    prefix: (term) => term.length >= 5,
    // One typo in a longer word ("germnay", "anerkenung"); more costs time and finds noise.
    fuzzy: (term) => (term.length >= 7 ? 1 : false),
  },
};

export interface LexicalHit {
  id: string;
  score: number;
  /** The query terms this entry matched. */
  terms: string[];
}

/** The sparse half of the index: BM25 (MiniSearch) over normalised words, stopwords of all ten languages removed. */
export class LexicalIndex {
  private constructor(private readonly search_: MiniSearch<LexicalEntry>) {}

  static build(entries: LexicalEntry[]): LexicalIndex {
    const search = new MiniSearch<LexicalEntry>(OPTIONS);
    search.addAll(entries);
    return new LexicalIndex(search);
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalEntry>(json, OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify(this.search_);
  }

  /**
   * The k best entries for a text; with a filter, only entries it accepts; `boosts` weighs some of
   * the text's words above the others (default 1); `summed` scores an entry by the plain sum of its
   * words' scores (default false: MiniSearch's, which favours entries matching more words). Typo-tolerant matching
   * is the costly part, so it runs only when exact and prefix matching find fewer than k entries.
   */
  search(text: string, k: number, accept?: (id: string) => boolean, boosts?: ReadonlyMap<string, number>, summed = false): LexicalHit[] {
    const filter = {
      ...(accept ? { filter: (hit: SearchResult) => accept(String(hit.id)) } : {}),
      ...(boosts && boosts.size > 0 ? { boostTerm: (term: string) => boosts.get(term) ?? 1 } : {}),
    };
    const exact = this.search_.search(text, { ...filter, fuzzy: false });
    let results = exact.length >= k ? exact : this.search_.search(text, filter);
    // MiniSearch multiplies a score by the number of query words matched; a long query of weighted words wants the plain sum.
    if (summed) results = results.map((hit) => ({ ...hit, score: hit.score / Math.max(1, hit.queryTerms.length) })).sort((a, b) => b.score - a.score);
    return results
      .slice(0, k)
      .map((hit: SearchResult) => ({ id: String(hit.id), score: hit.score, terms: hit.queryTerms }));
  }
}
