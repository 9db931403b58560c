import SearchableMap from 'minisearch/SearchableMap';

/** MiniSearch's JSON (serializationVersion 2), as `npm run index` writes lexical.json. */
export interface MiniSearchJson {
  documentCount: number;
  nextId: number;
  documentIds: Record<string, string>;
  fieldIds: Record<string, number>;
  fieldLength: Record<string, number[]>;
  averageFieldLength: number[];
  storedFields: Record<string, unknown>;
  dirtCount: number;
  index: [string, Record<string, Record<string, number>>][];
  serializationVersion: number;
}

/** The search settings of MiniSearch that the scoring reads (see lexical-index.ts for Lotse's). */
export interface Bm25Settings {
  fields: readonly string[];
  boost: Readonly<Record<string, number>>;
  tokenize: (text: string) => string[];
  processTerm: (term: string) => string | null;
  prefix: (term: string) => boolean;
  /** Typo tolerance of a term: the largest edit distance (1 or 0), as MiniSearch's `fuzzy` returning 1 or false. */
  fuzzy: (term: string) => number | false;
}

export interface Bm25Query {
  /** Typo-tolerant matching of the terms `fuzzy` allows (the second, costlier pass). */
  fuzzy: boolean;
  boostTerm?: (term: string) => number;
  accept?: (id: string) => boolean;
  /** Hits returned at most (default all). */
  limit?: number;
  /** Scores divided by the number of query terms matched, then re-ranked (stably): the plain sum of the terms' scores. */
  summed?: boolean;
}

export interface Bm25Result {
  hits: Bm25Hit[];
  /** How many entries matched (and were accepted), before `limit`. */
  total: number;
}

export interface Bm25Hit {
  id: string;
  /** MiniSearch's score: the BM25 sum times the number of query terms matched. */
  score: number;
  /** The distinct query terms matched, in the order of the query. */
  terms: string[];
}

// MiniSearch's defaults (defaultSearchOptions): the weights of prefix and fuzzy matches and the BM25+ parameters.
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Terms longer than this would overflow the 8-bit Levenshtein matrix SearchableMap uses to list its terms in order. */
const LONGEST_TERM = 250;

/**
 * The BM25 index of MiniSearch, read from its JSON, in typed arrays instead of nested maps: a few
 * megabytes where MiniSearch holds about twenty, and a search that allocates almost nothing per
 * matching passage. It returns exactly what MiniSearch's `search` returns for the same settings
 * (the same passages, in the same order, with the same scores): every score is summed in the order
 * MiniSearch sums it, and prefix and typo-tolerant matches are visited in the order of MiniSearch's
 * radix tree (test/unit/retrieval/compact-bm25.test.ts holds the two equal).
 */
export class CompactBm25 {
  /** Terms in code-unit order; a term's id is its position here. */
  private readonly terms: string[];
  /** Where each term stands in the radix tree's iteration (prefix matches) and in its depth-first walk (typo-tolerant matches). */
  private readonly prefixRank: Int32Array;
  private readonly fuzzyRank: Int32Array;
  /** Term ids by length, for typo-tolerant matching. */
  private readonly byLength: Int32Array[];
  /** Postings of term t in field slot f: [start[t * F + f], start[t * F + f + 1]). */
  private readonly start: Uint32Array;
  private readonly docs: Uint32Array;
  private readonly freqs: Uint32Array;
  /** Length of field slot f of document d: fieldLength[d * F + f]. */
  private readonly fieldLength: Uint32Array;
  private readonly averageLength: Float64Array;
  private readonly fieldBoost: Float64Array;
  private readonly ids: string[];
  private readonly documentCount: number;
  // Scratch space, reused by every search (a search runs to its end without yielding).
  private readonly termScore: Float64Array;
  private readonly total: Float64Array;
  private readonly matched: Uint32Array;
  private readonly specOf: Int32Array;
  private readonly seen: Uint8Array;
  private masks = new Uint32Array(0);
  /** The entries one query term touched (touchedCount of them), the entries matched in order, and the ranking's working arrays. */
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  private readonly order: Uint32Array;
  private readonly place: Uint32Array;
  private readonly score: Float64Array;
  private readonly rank: Uint32Array;

  private constructor(json: MiniSearchJson, private readonly settings: Bm25Settings) {
    const slots = settings.fields.length;
    const slotOfField = new Map(settings.fields.map((field, slot) => [json.fieldIds[field], slot]));
    this.documentCount = json.documentCount;
    this.ids = Array.from({ length: json.nextId }, (_, shortId) => json.documentIds[shortId]!);
    this.fieldLength = new Uint32Array(json.nextId * slots);
    for (const [shortId, lengths] of Object.entries(json.fieldLength)) {
      settings.fields.forEach((field, slot) => (this.fieldLength[Number(shortId) * slots + slot] = lengths[json.fieldIds[field]!] ?? 0));
    }
    this.averageLength = Float64Array.from(settings.fields, (field) => json.averageFieldLength[json.fieldIds[field]!] ?? 0);
    this.fieldBoost = Float64Array.from(settings.fields, (field) => (Object.prototype.hasOwnProperty.call(settings.boost, field) ? settings.boost[field] : undefined) || 1);

    const order = json.index.map((_, i) => i).sort((a, b) => compareStrings(json.index[a]![0], json.index[b]![0]));
    this.terms = order.map((i) => json.index[i]![0]);
    const idOf = new Map(this.terms.map((term, id) => [term, id]));
    let postings = 0;
    for (const [, data] of json.index) for (const freqs of Object.values(data)) postings += Object.keys(freqs).length;
    this.start = new Uint32Array(this.terms.length * slots + 1);
    this.docs = new Uint32Array(postings);
    this.freqs = new Uint32Array(postings);
    let at = 0;
    order.forEach((jsonIndex, id) => {
      const data = json.index[jsonIndex]![1];
      for (let slot = 0; slot < slots; slot++) {
        this.start[id * slots + slot] = at;
        const freqs = data[String(json.fieldIds[settings.fields[slot]!])];
        // Object.keys lists integer keys in ascending order, as MiniSearch's maps hold them after loading.
        if (!freqs) continue;
        for (const doc of Object.keys(freqs)) {
          this.docs[at] = Number(doc);
          this.freqs[at] = freqs[doc]!;
          at += 1;
        }
      }
    });
    this.start[this.terms.length * slots] = at;
    if (slotOfField.size !== slots) throw new Error('the lexical index lacks a field');

    // The radix tree MiniSearch builds when it loads this JSON (the terms in the same order), only to read its two orders.
    const tree = new SearchableMap<number>();
    for (const [term] of json.index) tree.set(term, 0);
    this.prefixRank = new Int32Array(this.terms.length);
    let rank = 0;
    for (const term of tree.keys()) this.prefixRank[idOf.get(term)!] = rank++;
    this.fuzzyRank = new Int32Array(this.terms.length);
    const longest = this.terms.reduce((max, term) => Math.max(max, term.length), 0);
    rank = 0;
    // Every term is within `longest` edits of '': the typo-tolerant walk lists them all, in its own order.
    for (const term of tree.fuzzyGet('', longest).keys()) this.fuzzyRank[idOf.get(term)!] = rank++;
    const lengths: number[][] = [];
    this.terms.forEach((term, id) => (lengths[term.length] ??= []).push(id));
    this.byLength = Array.from({ length: longest + 2 }, (_, length) => Int32Array.from(lengths[length] ?? []));

    this.termScore = new Float64Array(json.nextId);
    this.total = new Float64Array(json.nextId);
    this.matched = new Uint32Array(json.nextId);
    this.specOf = new Int32Array(json.nextId).fill(-1);
    this.seen = new Uint8Array(json.nextId);
    this.touched = new Uint32Array(json.nextId);
    this.order = new Uint32Array(json.nextId);
    this.place = new Uint32Array(json.nextId);
    this.score = new Float64Array(json.nextId);
    this.rank = new Uint32Array(json.nextId);
  }

  /** The compact index of MiniSearch's JSON; undefined when the JSON is one it does not read the same way (then MiniSearch serves). */
  static fromJSON(json: MiniSearchJson, settings: Bm25Settings): CompactBm25 | undefined {
    if (json.serializationVersion !== 2 || json.dirtCount !== 0) return undefined;
    if (Object.keys(json.documentIds).length !== json.nextId || json.documentCount !== json.nextId) return undefined;
    if (settings.fields.some((field) => json.fieldIds[field] === undefined)) return undefined;
    if (json.index.some(([term]) => term.length > LONGEST_TERM)) return undefined;
    return new CompactBm25(json, settings);
  }

  /**
   * As MiniSearch's `search(text, { fuzzy, boostTerm, filter, combineWith: 'OR' })`: the matching
   * entries best first (`limit` of them), and how many matched.
   */
  search(text: string, query: Bm25Query): Bm25Result {
    const { settings } = this;
    const specs = settings
      .tokenize(text)
      .flatMap((term) => settings.processTerm(term))
      .filter((term): term is string => !!term);
    const distinct = [...new Set(specs)];
    const words = Math.ceil(distinct.length / 32);
    if (this.masks.length < this.ids.length * words) this.masks = new Uint32Array(this.ids.length * words);
    // The entries matched, in the order they were first matched (MiniSearch's result map keeps that order).
    const order = this.order;
    let matched = 0;
    specs.forEach((term, spec) => {
      const touched = this.scoreTerm(term, spec, query);
      const bit = distinct.indexOf(term);
      const word = bit >> 5;
      const flag = 1 << (bit & 31);
      // MiniSearch's OR: an entry's total is the sum of its terms' scores, in query order.
      for (let t = 0; t < touched; t++) {
        const doc = this.touched[t]!;
        if (this.seen[doc] === 0) {
          this.seen[doc] = 1;
          this.total[doc] = this.termScore[doc]!;
          order[matched++] = doc;
        } else {
          this.total[doc] = this.total[doc]! + this.termScore[doc]!;
        }
        const at = doc * words + word;
        if ((this.masks[at]! & flag) === 0) {
          this.masks[at] = this.masks[at]! | flag;
          this.matched[doc]! += 1;
        }
      }
    });
    // The accepted entries, by their place in `order` (ties keep that order, as MiniSearch's stable sort does).
    let accepted = 0;
    const place = this.place;
    const score = this.score;
    for (let at = 0; at < matched; at++) {
      const doc = order[at]!;
      if (query.accept && !query.accept(this.ids[doc]!)) continue;
      place[accepted++] = at;
      score[at] = this.total[doc]! * (this.matched[doc]! || 1);
    }
    const ranked = place.subarray(0, accepted);
    ranked.sort((a, b) => score[b]! - score[a]! || a - b);
    if (query.summed) {
      // Re-ranked by the plain sum; equal sums keep the order above.
      const rank = this.rank;
      ranked.forEach((at, i) => {
        rank[at] = i;
        score[at] = score[at]! / Math.max(1, this.matched[order[at]!]!);
      });
      ranked.sort((a, b) => score[b]! - score[a]! || rank[a]! - rank[b]!);
    }
    const hits: Bm25Hit[] = [];
    for (let i = 0; i < Math.min(accepted, query.limit ?? accepted); i++) {
      const at = ranked[i]!;
      const doc = order[at]!;
      // The terms matched, listed only if asked for (the retriever reads ranks alone).
      const mask = words === 1 ? this.masks[doc]! : this.masks.slice(doc * words, doc * words + words);
      hits.push({
        id: this.ids[doc]!,
        score: score[at]!,
        get terms() {
          return distinct.filter((_, bit) => ((typeof mask === 'number' ? mask : mask[bit >> 5]!) & (1 << (bit & 31))) !== 0);
        },
      });
    }
    for (let at = 0; at < matched; at++) {
      const doc = order[at]!;
      this.seen[doc] = 0;
      this.matched[doc] = 0;
      this.specOf[doc] = -1;
      this.masks.fill(0, doc * words, doc * words + words);
    }
    return { hits, total: accepted };
  }

  /** One query term, as MiniSearch's executeQuerySpec: the exact term, then prefix matches, then typo-tolerant ones. The entries touched go to `touched`, in order; returns how many. */
  private scoreTerm(term: string, spec: number, query: Bm25Query): number {
    this.touchedCount = 0;
    const termBoost = query.boostTerm ? query.boostTerm(term) : 1;
    const exact = this.find(term);
    if (exact >= 0) this.addTerm(exact, 1, termBoost, spec);
    const prefixed = this.settings.prefix(term) ? this.prefixed(term) : [];
    const maxDistance = query.fuzzy ? this.settings.fuzzy(term) : false;
    if (maxDistance && maxDistance !== 1) throw new Error(`typo tolerance of ${maxDistance} edits is not supported`);
    for (const id of prefixed) {
      const derived = this.terms[id]!;
      const distance = derived.length - term.length;
      if (!distance) continue;
      this.addTerm(id, (PREFIX_WEIGHT * derived.length) / (derived.length + 0.3 * distance), termBoost, spec);
    }
    if (maxDistance) {
      const prefixedSet = new Set(prefixed);
      for (const id of this.fuzzy(term)) {
        // A term that is also a prefix match counts once, as a prefix match.
        if (prefixedSet.has(id)) continue;
        const derived = this.terms[id]!;
        this.addTerm(id, (FUZZY_WEIGHT * derived.length) / (derived.length + 1), termBoost, spec);
      }
    }
    return this.touchedCount;
  }

  /** MiniSearch's termResults: the BM25+ score of one (derived) term in every field, added to the passages that have it. */
  private addTerm(id: number, termWeight: number, termBoost: number, spec: number): void {
    const slots = this.settings.fields.length;
    const { k, b, d } = BM25;
    const docBoost = 1;
    for (let slot = 0; slot < slots; slot++) {
      const from = this.start[id * slots + slot]!;
      const to = this.start[id * slots + slot + 1]!;
      if (from === to) continue;
      const matchingCount = to - from;
      const avgFieldLength = this.averageLength[slot]!;
      const fieldBoost = this.fieldBoost[slot]!;
      const invDocFreq = Math.log(1 + (this.documentCount - matchingCount + 0.5) / (matchingCount + 0.5));
      for (let at = from; at < to; at++) {
        const doc = this.docs[at]!;
        const termFreq = this.freqs[at]!;
        const fieldLength = this.fieldLength[doc * slots + slot]!;
        const rawScore = invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
        const weightedScore = termWeight * termBoost * fieldBoost * docBoost * rawScore;
        if (this.specOf[doc] === spec) {
          this.termScore[doc]! += weightedScore;
        } else {
          this.specOf[doc] = spec;
          this.termScore[doc] = weightedScore;
          this.touched[this.touchedCount++] = doc;
        }
      }
    }
  }

  /** The id of a term, or -1. */
  private find(term: string): number {
    const at = this.lowerBound(term);
    return this.terms[at] === term ? at : -1;
  }

  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStrings(this.terms[mid]!, term) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The terms that start with `term` (itself included), in the order MiniSearch's radix tree lists them. */
  private prefixed(term: string): number[] {
    const ids: number[] = [];
    for (let id = this.lowerBound(term); id < this.terms.length && this.terms[id]!.startsWith(term); id++) ids.push(id);
    return ids.sort((a, b) => this.prefixRank[a]! - this.prefixRank[b]!);
  }

  /** The terms one edit away from `term` (not itself), in the order MiniSearch's typo-tolerant walk finds them. */
  private fuzzy(term: string): number[] {
    const ids: number[] = [];
    for (let length = Math.max(0, term.length - 1); length <= term.length + 1 && length < this.byLength.length; length++) {
      for (const id of this.byLength[length]!) if (oneEditApart(this.terms[id]!, term)) ids.push(id);
    }
    return ids.sort((a, b) => this.fuzzyRank[a]! - this.fuzzyRank[b]!);
  }
}

/** Code-unit order, as MiniSearch's radix tree compares keys. */
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** True when a and b are exactly one insertion, deletion or substitution apart (in UTF-16 code units). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const short = a.length <= b.length ? a : b;
  const long = short === a ? b : a;
  const skip = long.length - short.length;
  if (skip > 1) return false;
  let i = 0;
  while (i < short.length && short.charCodeAt(i) === long.charCodeAt(i)) i++;
  // The rest must agree after the one edit: a substitution (same lengths) or an insertion into the shorter.
  for (let j = i + 1 - skip; j < short.length; j++) if (short.charCodeAt(j) !== long.charCodeAt(j + skip)) return false;
  return true;
}
