import type { Chunk, DocumentMeta, Passage, RetrievalFilter, RetrievalQuery, RetrievalResult, Retriever } from '../core/knowledge.js';
import type { KnowledgeIndex } from './knowledge-index.js';
import { confidenceOf, matchedEvidence, passageWords, questionTerms, TermStatistics, type PassageWords } from './retrieval-confidence.js';
import { isStale, isoToday } from './stale-documents.js';

export interface HybridRetrieverOptions {
  /** Candidates taken from each of the vector and lexical halves (default 40). */
  candidates?: number;
  /** Confidence at or above which an answer is trusted (default 0.35; calibrated on test/fixtures). */
  threshold?: number;
  /** Weight of a passage in the question's own language (default 1.3). */
  languageBoost?: number;
  /** Weight of a document written for the user's own country, when the filter names one (default 1.4). */
  countryBoost?: number;
  /** Passages of one document at most in a result (default 2). */
  perDocument?: number;
  today?: () => string;
}

/** Reciprocal-rank-fusion constant: the usual 60 flattens the top; a small corpus wants sharper. */
const RRF_K = 20;

interface Candidate {
  label: number;
  vectorRank?: number;
  similarity?: number;
  lexicalRank?: number;
}

export function matchesFilter(meta: DocumentMeta, filter: RetrievalFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.country && !meta.countries.includes('all') && !meta.countries.includes(filter.country)) return false;
  if (filter.audience && meta.audience !== 'all' && meta.audience !== filter.audience) return false;
  return true;
}

/**
 * Hybrid retrieval: dense (HNSW) and lexical (BM25) candidates fused by reciprocal rank, boosted in
 * the question's language, filtered by the user's profile, with a confidence for the answerer.
 */
export class HybridRetriever implements Retriever {
  private readonly labels: Map<string, number>;
  private readonly options: Required<HybridRetrieverOptions>;
  private readonly stats: TermStatistics;
  /** Words of the chunks already scored, so that a passage is tokenised once, not per question. */
  private readonly wordCache = new Map<number, PassageWords>();

  constructor(
    private readonly index: KnowledgeIndex,
    options: HybridRetrieverOptions = {},
  ) {
    this.labels = new Map(index.chunks.map((chunk, label) => [chunk.id, label]));
    this.stats = new TermStatistics(index.chunks.map((chunk) => this.passageText(chunk)));
    this.options = { candidates: 40, threshold: 0.35, languageBoost: 1.3, countryBoost: 1.4, perDocument: 2, today: () => isoToday(), ...options };
  }

  /** What a chunk offers a reader: its document's title, its headings and its text. */
  private passageText(chunk: Chunk): string {
    return [this.index.documents.get(chunk.docId)?.title ?? '', ...chunk.headings, chunk.text].join(' ');
  }

  private wordsOf(chunk: Chunk): PassageWords {
    const label = this.labels.get(chunk.id) ?? -1;
    let words = this.wordCache.get(label);
    if (!words) {
      words = passageWords(this.passageText(chunk));
      this.wordCache.set(label, words);
    }
    return words;
  }

  get threshold(): number {
    return this.options.threshold;
  }

  async retrieve(query: RetrievalQuery): Promise<RetrievalResult> {
    const limit = query.limit ?? 4;
    const text = query.text.trim();
    if (text === '') return { passages: [], confidence: 0, confident: false };
    const vector = await this.index.embedder.embeddings.embedQuery(text);
    const candidates = new Map<number, Candidate>();
    const candidate = (label: number) => candidates.get(label) ?? candidates.set(label, { label }).get(label)!;
    // An empty profile filters nothing: skip the per-node callback it would cost HNSW.
    const filter = query.filter?.country || query.filter?.audience ? query.filter : undefined;
    const accepts = (chunk: Chunk | undefined) => {
      const meta = chunk && this.index.documents.get(chunk.docId);
      return meta !== undefined && matchesFilter(meta, filter);
    };
    const acceptLabel = filter && ((label: number) => accepts(this.index.chunkByLabel(label)));
    const acceptId = filter && ((id: string) => accepts(this.index.chunkByLabel(this.labels.get(id) ?? -1)));
    (await this.index.vectors.search(vector, this.options.candidates, acceptLabel)).forEach((hit, rank) => {
      Object.assign(candidate(hit.label), { vectorRank: rank, similarity: hit.similarity });
    });
    this.index.lexical.search(text, this.options.candidates, acceptId).forEach((hit, rank) => {
      const label = this.labels.get(hit.id);
      if (label !== undefined) candidate(label).lexicalRank = rank;
    });

    const today = this.options.today();
    const ranked: { candidate: Candidate; chunk: Chunk; meta: DocumentMeta; fused: number }[] = [];
    for (const c of candidates.values()) {
      const chunk = this.index.chunkByLabel(c.label);
      const meta = chunk && this.index.documents.get(chunk.docId);
      if (!chunk || !meta || !matchesFilter(meta, query.filter)) continue;
      let fused = (c.vectorRank === undefined ? 0 : 1 / (RRF_K + c.vectorRank)) + (c.lexicalRank === undefined ? 0 : 1 / (RRF_K + c.lexicalRank));
      if (meta.language === query.language) fused *= this.options.languageBoost;
      if (filter?.country && meta.countries.includes(filter.country)) fused *= this.options.countryBoost;
      ranked.push({ candidate: c, chunk, meta, fused });
    }
    ranked.sort((a, b) => b.fused - a.fused);

    const best = (2 / RRF_K) * this.options.languageBoost * (filter?.country ? this.options.countryBoost : 1);
    const perDocument = new Map<string, number>();
    const passages: Passage[] = [];
    for (const entry of ranked) {
      const used = perDocument.get(entry.meta.id) ?? 0;
      if (used >= this.options.perDocument) continue;
      perDocument.set(entry.meta.id, used + 1);
      passages.push({ chunk: entry.chunk, meta: entry.meta, score: Math.min(1, entry.fused / best), stale: isStale(entry.meta, today) });
      if (passages.length >= limit) break;
    }
    const top = ranked[0];
    if (!top) return { passages, confidence: 0, confident: false };
    const similarity = top.candidate.similarity ?? dot(vector, this.index.vectors.vector(top.candidate.label));
    const terms = questionTerms(text);
    const evidence = Math.max(...passages.slice(0, 3).map((p) => matchedEvidence(terms, this.wordsOf(p.chunk), this.stats)));
    const confidence = confidenceOf({ similarity, evidence });
    return { passages, confidence, confident: confidence >= this.options.threshold };
  }
}

function dot(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * (b[i] ?? 0);
  return sum;
}
