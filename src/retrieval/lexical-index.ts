import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { tokenize } from '../core/text/normalize-text.js';
import { STOPWORDS } from '../i18n/stopwords.js';
import { CompactBm25, type Bm25Settings, type MiniSearchJson } from './compact-bm25.js';

export interface LexicalEntry {
  id: string;
  title: string;
  headings: string;
  text: string;
}

const FIELDS = ['title', 'headings', 'text'];
const BOOST = { title: 2, headings: 1.5 };
const processTerm = (term: string) => (term.length < 2 || STOPWORDS.has(term) ? null : term);
const prefix = (term: string) => term.length >= 5;
// One typo in a longer word ("germnay", "anerkenung"); more costs time and finds noise.
const fuzzy = (term: string) => (term.length >= 7 ? 1 : false);

/** MiniSearch's options for the index (exported for the test that holds the compact index equal to MiniSearch). */
export const LEXICAL_OPTIONS: Options<LexicalEntry> = {
  fields: FIELDS,
  storeFields: [],
  tokenize: (text) => tokenize(text),
  processTerm,
  searchOptions: { boost: BOOST, combineWith: 'OR', prefix, fuzzy },
};

/** The same settings, for the compact index that serves searches. */
export const LEXICAL_SETTINGS: Bm25Settings = { fields: FIELDS, boost: BOOST, tokenize: (text) => tokenize(text), processTerm, prefix, fuzzy };

export interface LexicalHit {
  id: string;
  score: number;
  /** The query terms this entry matched. */
  terms: string[];
}

/**
 * The sparse half of the index: BM25 (MiniSearch) over normalised words, stopwords of all ten
 * languages removed. MiniSearch builds it and writes lexical.json; searches run on a compact copy
 * of it (compact-bm25.ts) that returns exactly what MiniSearch would, in a fraction of its memory.
 */
export class LexicalIndex {
  private constructor(
    private readonly compact: CompactBm25 | undefined,
    /** MiniSearch itself: for a freshly built index (it writes lexical.json), or a JSON the compact copy does not read. */
    private readonly miniSearch: MiniSearch<LexicalEntry> | undefined,
  ) {}

  static build(entries: LexicalEntry[]): LexicalIndex {
    const search = new MiniSearch<LexicalEntry>(LEXICAL_OPTIONS);
    search.addAll(entries);
    // Searched as a loaded index is: through the compact copy of what it writes.
    return new LexicalIndex(CompactBm25.fromJSON(JSON.parse(JSON.stringify(search)) as MiniSearchJson, LEXICAL_SETTINGS), search);
  }

  static fromJSON(json: string): LexicalIndex {
    const parsed = JSON.parse(json) as MiniSearchJson;
    const compact = CompactBm25.fromJSON(parsed, LEXICAL_SETTINGS);
    return new LexicalIndex(compact, compact ? undefined : MiniSearch.loadJS<LexicalEntry>(parsed, LEXICAL_OPTIONS));
  }

  toJSON(): string {
    if (!this.miniSearch) throw new Error('a loaded lexical index is not written again: build one');
    return JSON.stringify(this.miniSearch);
  }

  /**
   * The k best entries for a text; with a filter, only entries it accepts; `boosts` weighs some of
   * the text's words above the others (default 1); `summed` scores an entry by the plain sum of its
   * words' scores (default false: MiniSearch's, which favours entries matching more words). Typo-tolerant matching
   * is the costly part, so it runs only when exact and prefix matching find fewer than k entries.
   */
  search(text: string, k: number, accept?: (id: string) => boolean, boosts?: ReadonlyMap<string, number>, summed = false): LexicalHit[] {
    const boostTerm = boosts && boosts.size > 0 ? (term: string) => boosts.get(term) ?? 1 : undefined;
    if (this.compact) {
      const query = { accept, boostTerm, limit: k, summed };
      const exact = this.compact.search(text, { ...query, fuzzy: false });
      return exact.total >= k ? exact.hits : this.compact.search(text, { ...query, fuzzy: true }).hits;
    }
    const filter = {
      ...(accept ? { filter: (hit: SearchResult) => accept(String(hit.id)) } : {}),
      ...(boostTerm ? { boostTerm } : {}),
    };
    const search = this.miniSearch!;
    const exact = search.search(text, { ...filter, fuzzy: false });
    let results = exact.length >= k ? exact : search.search(text, filter);
    // MiniSearch multiplies a score by the number of query words matched; a long query of weighted words wants the plain sum.
    if (summed) results = results.map((hit) => ({ ...hit, score: hit.score / Math.max(1, hit.queryTerms.length) })).sort((a, b) => b.score - a.score);
    return results
      .slice(0, k)
      .map((hit: SearchResult) => ({ id: String(hit.id), score: hit.score, terms: hit.queryTerms }));
  }
}
