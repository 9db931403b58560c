import type { Chunk, DocumentMeta, Passage, RetrievalFilter, RetrievalQuery, RetrievalResult, Retriever } from '../core/knowledge.js';
import { STOPWORDS } from '../i18n/stopwords.js';
import { DIRECTORY_FILE } from './centre-directory.js';
import { isForOtherGroups } from './eligibility.js';
import type { KnowledgeIndex } from './knowledge-index.js';
import { englishQuery } from './query-expansion.js';
import { readings, type LexiconMatch } from './query-lexicon.js';
import { englishScore, fuse, ownScore, RRF_K, topicCoverage, type FusionWeights, type Ranks } from './rank-fusion.js';
import { confidenceOf, matchedEvidence, questionTerms, TermStatistics, type PassageWords, type WordSet } from './retrieval-confidence.js';
import { isStale, isoToday } from './stale-documents.js';

export interface HybridRetrieverOptions extends Partial<FusionWeights> {
  /** Candidates taken from each search (default 40). */
  candidates?: number;
  /** Confidence at or above which an answer is trusted (default 0.35; calibrated on test/fixtures). */
  threshold?: number;
  /** Weight of a document written for the user's own country, when the filter names one (default 1.4). */
  countryBoost?: number;
  /** Passages of one document at most in a result, its translations counted with it (default 2). */
  perDocument?: number;
  /** Weight in the English lexical pass of the question's own words (names, numbers) against the concepts' words (default 3). */
  ownWordWeight?: number;
  /** Factor on a document only for groups the question does not mention, e.g. asylum seekers (default 0.5). */
  otherGroupsFactor?: number;
  today?: () => string;
}

interface Candidate extends Ranks {
  label: number;
  similarity?: number;
  englishSimilarity?: number;
}

interface Ranked {
  candidate: Candidate;
  chunk: Chunk;
  meta: DocumentMeta;
  fused: number;
}

const NO_MATCH: LexiconMatch = { concepts: [], english: [], mentions: new Set(), centre: false, names: new Set(), words: new Set() };

/** True when a document suits the profile; `named` documents (the question names them) are kept whatever the country. */
export function matchesFilter(meta: DocumentMeta, filter: RetrievalFilter | undefined, named?: ReadonlySet<string>): boolean {
  if (!filter) return true;
  if (filter.country && !meta.countries.includes('all') && !meta.countries.includes(filter.country) && !named?.has(meta.baseId)) return false;
  if (filter.audience && meta.audience !== 'all' && meta.audience !== filter.audience) return false;
  return true;
}

/**
 * Hybrid retrieval: dense (HNSW) and lexical (BM25) candidates fused by reciprocal rank, boosted in
 * the question's language, filtered by the user's profile, with a confidence for the answerer.
 */
export class HybridRetriever implements Retriever {
  private readonly labels: Map<string, number>;
  /** The document of each chunk, by label (the filters ask for it per candidate, also from inside HNSW's search). */
  private readonly metas: (DocumentMeta | undefined)[];
  private readonly options: Required<HybridRetrieverOptions>;
  /** The words of every passage (tokenised once, when the retriever is made) and their document frequencies. */
  private readonly stats: TermStatistics;
  /** Words of the English passages: a question's word among them can stand in its English search (names, B2, cognates). */
  private readonly englishWords: WordSet;
  /** The id of the directory centre of each country (centre-sn for SN). */
  private readonly centres = new Map<string, string>();

  constructor(
    private readonly index: KnowledgeIndex,
    options: HybridRetrieverOptions = {},
  ) {
    this.labels = new Map(index.chunks.map((chunk, label) => [chunk.id, label]));
    this.metas = index.chunks.map((chunk) => index.documents.get(chunk.docId));
    this.stats = new TermStatistics(index.chunks.map((chunk) => this.passageText(chunk)));
    this.options = {
      candidates: 40,
      threshold: 0.35,
      languageBoost: 1.3,
      countryBoost: 1.4,
      perDocument: 2,
      englishVectorWeight: 0.75,
      englishLexicalWeight: 1.5,
      ungroundedWeight: 0.2,
      groundedWeight: 0.8,
      agreementWeight: 0.4,
      ownWordWeight: 3,
      otherGroupsFactor: 0.5,
      today: () => isoToday(),
      ...options,
    };
    this.englishWords = this.stats.wordsOfTexts(index.chunks.flatMap((chunk, label) => (index.documents.get(chunk.docId)?.language === 'en' ? [label] : [])));
    for (const meta of index.documents.values()) {
      if (meta.file.startsWith(DIRECTORY_FILE) && meta.countries.length === 1) this.centres.set(meta.countries[0]!, meta.id);
    }
  }

  /** What a chunk offers a reader: its document's title, its headings and its text. */
  private passageText(chunk: Chunk): string {
    return [this.index.documents.get(chunk.docId)?.title ?? '', ...chunk.headings, chunk.text].join(' ');
  }

  private wordsOf(chunk: Chunk): PassageWords {
    return this.stats.wordsOf(this.labels.get(chunk.id)!);
  }

  get threshold(): number {
    return this.options.threshold;
  }

  async retrieve(query: RetrievalQuery): Promise<RetrievalResult> {
    const limit = query.limit ?? 4;
    const text = query.text.trim();
    if (text === '') return { passages: [], confidence: 0, confident: false };
    const match = this.index.lexicon?.match(text) ?? NO_MATCH;
    // Content that exists only in English must be found from any language: the question's concepts are searched in English too.
    const english = query.language === 'en' ? undefined : englishQuery(text, match, this.englishWords, this.options.ownWordWeight);
    const embeddings = this.index.embedder.embeddings;
    const [vector, englishVector] = await Promise.all([embeddings.embedQuery(text), english && this.options.englishVectorWeight > 0 ? embeddings.embedQuery(english.text) : undefined]);

    const candidates = new Map<number, Candidate>();
    const candidate = (label: number) => candidates.get(label) ?? candidates.set(label, { label }).get(label)!;
    // An empty profile filters nothing: skip the per-node callback it would cost HNSW.
    const filter = query.filter?.country || query.filter?.audience ? query.filter : undefined;
    const metaOf = (label: number): DocumentMeta | undefined => this.metas[label];
    const labelOf = (id: string) => this.labels.get(id) ?? -1;
    const accepts = (meta: DocumentMeta | undefined) => meta !== undefined && matchesFilter(meta, filter, match.names);
    const acceptsEnglish = (label: number) => {
      const meta = metaOf(label);
      return meta?.language === 'en' && accepts(meta);
    };
    const k = this.options.candidates;
    // The English vector pass filters after the search: HNSW's per-node filter callback costs more than the extra hits.
    const [own, ownEnglish] = await Promise.all([
      this.index.vectors.search(vector, k, filter && ((label) => accepts(metaOf(label)))),
      englishVector ? this.index.vectors.search(englishVector, 2 * k).then((hits) => hits.filter((hit) => acceptsEnglish(hit.label)).slice(0, k)) : [],
    ]);
    own.forEach((hit, rank) => Object.assign(candidate(hit.label), { vectorRank: rank, similarity: hit.similarity }));
    ownEnglish.forEach((hit, rank) => Object.assign(candidate(hit.label), { englishVectorRank: rank, englishSimilarity: hit.similarity }));
    this.index.lexical.search(text, k, filter && ((id) => accepts(metaOf(labelOf(id))))).forEach((hit, rank) => {
      candidate(labelOf(hit.id)).lexicalRank = rank;
    });
    if (english) {
      this.index.lexical.search(english.text, k, (id) => acceptsEnglish(labelOf(id)), english.weights, true).forEach((hit, rank) => {
        candidate(labelOf(hit.id)).englishLexicalRank = rank;
      });
    }

    const ranked = this.rank(candidates, query, match, english !== undefined);
    this.centreFirst(ranked, match, filter);
    const today = this.options.today();
    const best = (2 / RRF_K) * this.options.languageBoost * (filter?.country ? this.options.countryBoost : 1);
    // Per base document: a translation and its English original count as one, so that a result covers several topics.
    const perDocument = new Map<string, number>();
    const passages: Passage[] = [];
    for (const entry of ranked) {
      // A translation into a third language says what its English original says: never quote it instead.
      if (entry.meta.language !== query.language && entry.meta.language !== 'en') continue;
      const used = perDocument.get(entry.meta.baseId) ?? 0;
      if (used >= this.options.perDocument) continue;
      perDocument.set(entry.meta.baseId, used + 1);
      passages.push({ chunk: entry.chunk, meta: entry.meta, score: Math.min(1, entry.fused / best), stale: isStale(entry.meta, today) });
      if (passages.length >= limit) break;
    }
    const top = ranked[0];
    const topical = match.concepts.length > 0;
    if (!top) return { passages, confidence: 0, confident: false, topical };
    // The top passage's stored vector, only when a pass did not already give its similarity.
    let topVector: number[] | undefined;
    const topVectorOf = () => (topVector ??= this.index.vectors.vector(top.candidate.label));
    const shown = passages.slice(0, 3).map((p) => this.wordsOf(p.chunk));
    const evidenceOf = (question: string) => {
      const terms = questionTerms(question);
      return Math.max(...shown.map((words) => matchedEvidence(terms, words, this.stats)));
    };
    let similarity = top.candidate.similarity ?? dot(vector, topVectorOf());
    let evidence = evidenceOf(text);
    if (english && englishVector) {
      // The English search speaks for the question as much as its own words do.
      similarity = Math.max(similarity, top.candidate.englishSimilarity ?? dot(englishVector, topVectorOf()));
      evidence = Math.max(evidence, evidenceOf(english.text));
    }
    const confidence = confidenceOf({ similarity, evidence });
    return { passages, confidence, confident: confidence >= this.options.threshold, topical };
  }

  /** The candidates that suit the profile, best first: the passes fused, then the profile's boosts and factors. */
  private rank(candidates: Map<number, Candidate>, query: RetrievalQuery, match: LexiconMatch, englishPass: boolean): Ranked[] {
    const entries: { candidate: Candidate; chunk: Chunk; meta: DocumentMeta; english: number }[] = [];
    // What the English pass found for each topic (base id): a translation in the question's language shares it.
    const englishOfBase = new Map<string, number>();
    for (const c of candidates.values()) {
      const chunk = this.index.chunkByLabel(c.label);
      const meta = chunk && this.index.documents.get(chunk.docId);
      if (!chunk || !meta || !matchesFilter(meta, query.filter, match.names)) continue;
      const english = englishScore(c, this.options);
      if (english > (englishOfBase.get(meta.baseId) ?? 0)) englishOfBase.set(meta.baseId, english);
      entries.push({ candidate: c, chunk, meta, english });
    }
    const topicWords = [...match.words].filter((word) => !STOPWORDS.has(word)).map(readings);
    const country = query.filter?.country;
    const ranked = entries.map(({ candidate: c, chunk, meta, english }): Ranked => {
      const inQuestionLanguage = meta.language === query.language;
      const translation = inQuestionLanguage && meta.language !== 'en';
      let fused = fuse(
        {
          own: ownScore(c),
          english: translation ? (englishOfBase.get(meta.baseId) ?? 0) : english,
          inQuestionLanguage,
          coverage: englishPass ? topicCoverage(topicWords, this.wordsOf(chunk)) : 1,
        },
        englishPass,
        this.options,
      );
      if (country && meta.countries.includes(country)) fused *= this.options.countryBoost;
      // Support only for some groups (asylum seekers) must not crowd out support for everyone, unless the question is about them.
      if (isForOtherGroups(meta, match.mentions)) fused *= this.options.otherGroupsFactor;
      return { candidate: c, chunk, meta, fused };
    });
    return ranked.sort((a, b) => b.fused - a.fused);
  }

  /**
   * A question asking for a centre or advice office, from a user whose profile names a country with
   * a centre in the directory: that centre's best passage goes first (its first section when none
   * was retrieved), since it is where the user can actually go.
   */
  private centreFirst(ranked: Ranked[], match: LexiconMatch, filter: RetrievalFilter | undefined): void {
    const centreId = match.centre && filter?.country ? this.centres.get(filter.country) : undefined;
    if (!centreId) return;
    const at = ranked.findIndex((entry) => entry.meta.id === centreId);
    if (at === 0) return;
    const top = ranked[0]?.fused ?? 0;
    if (at > 0) {
      const [entry] = ranked.splice(at, 1);
      ranked.unshift({ ...entry!, fused: Math.max(entry!.fused, top) });
      return;
    }
    const label = this.index.chunks.findIndex((chunk) => chunk.docId === centreId);
    const meta = this.index.documents.get(centreId);
    if (label >= 0 && meta && matchesFilter(meta, filter)) ranked.unshift({ candidate: { label }, chunk: this.index.chunks[label]!, meta, fused: top });
  }
}

function dot(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * (b[i] ?? 0);
  return sum;
}
