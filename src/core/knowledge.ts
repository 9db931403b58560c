/** The ten languages Lotse speaks; ISO 639-1 codes. */
export const LANGUAGES = ['en', 'de', 'fr', 'ar', 'es', 'sq', 'sr', 'vi', 'ur', 'id'] as const;
export type Language = (typeof LANGUAGES)[number];

export const AUDIENCES = ['prospective', 'returnee', 'all'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Languages written right to left. */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set(['ar', 'ur']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Metadata every knowledge document carries (parsed from its front matter). */
export interface DocumentMeta {
  id: string;
  /** The English base id this document translates; equals `id` for English documents. */
  baseId: string;
  title: string;
  language: Language;
  sourceUrls: string[];
  legalBasis?: string;
  /** ISO dates (YYYY-MM-DD). */
  asOf: string;
  reviewBy: string;
  /** ISO 3166-1 alpha-2 codes, or ['all']. */
  countries: string[];
  audience: Audience;
  topics: string[];
  /** The only groups the document's offer is for (e.g. ['asylum-seekers']); absent: everyone its audience names. */
  eligibility?: string[];
  /** Path relative to the knowledge folder. */
  file: string;
}

export interface KnowledgeDocument {
  meta: DocumentMeta;
  body: string;
}

/** A retrievable piece of a document: one section, or part of a long one. */
export interface Chunk {
  /** `${docId}#${n}` */
  id: string;
  docId: string;
  /** Heading path inside the document, e.g. ["Points table"]. */
  headings: string[];
  text: string;
}

/** What a user's profile tells retrieval, when known. */
export interface RetrievalFilter {
  country?: string;
  audience?: Exclude<Audience, 'all'>;
}

export interface RetrievalQuery {
  text: string;
  language: Language;
  filter?: RetrievalFilter;
  /** How many passages to return (default 4). */
  limit?: number;
}

export interface Passage {
  chunk: Chunk;
  meta: DocumentMeta;
  /** Fused relevance in [0, 1]. */
  score: number;
  /** True when the document is past its review-by date. */
  stale: boolean;
}

export interface RetrievalResult {
  passages: Passage[];
  /** In [0, 1]: how sure retrieval is that the best passage answers the question. */
  confidence: number;
  /** True when confidence reaches the threshold the answerer trusts. */
  confident: boolean;
  /** True when the question names one of the service's topics (a programme, a permit, a term of the lexicon). */
  topical?: boolean;
}

/** Port: finds the passages that answer a question. */
export interface Retriever {
  retrieve(query: RetrievalQuery): Promise<RetrievalResult>;
}
