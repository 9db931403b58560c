import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chunk, DocumentMeta } from '../core/knowledge.js';
import { LotseError } from '../core/errors.js';
import type { NamedEmbeddings } from './embeddings-factory.js';
import { LexicalIndex } from './lexical-index.js';
import { lexiconSchema, QueryLexicon } from './query-lexicon.js';
import { VectorIndex } from './vector-index.js';

/** What an index was built from; a second build from the same things does no work. */
export interface IndexManifest {
  formatVersion: 1;
  embedderId: string;
  chunkerVersion: string;
  fingerprint: string;
  builtAt: string;
  /** Document id -> hash of its front matter and text. */
  documents: Record<string, { file: string; hash: string }>;
  chunkCount: number;
}

export const INDEX_FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  chunks: 'chunks.json',
  lexical: 'lexical.json',
  vectors: 'hnsw',
  cacheKeys: 'vector-cache.json',
  cacheData: 'vector-cache.bin',
  /** The query lexicon (knowledge/lexicon.yaml) as it was when the index was built; absent when there was none. */
  lexicon: 'lexicon.json',
} as const;

/** The loaded, read-only index: documents, chunks, their vectors and their words. */
export class KnowledgeIndex {
  readonly documents: Map<string, DocumentMeta>;

  constructor(
    readonly manifest: IndexManifest,
    documents: DocumentMeta[],
    /** Chunk i has vector label i. */
    readonly chunks: Chunk[],
    readonly vectors: VectorIndex,
    readonly lexical: LexicalIndex,
    readonly embedder: NamedEmbeddings,
    /** The multilingual query lexicon, when the knowledge has one. */
    readonly lexicon?: QueryLexicon,
  ) {
    this.documents = new Map(documents.map((meta) => [meta.id, meta]));
  }

  /** Loads the index written by `npm run index`; says what to run when it is missing or built differently. */
  static async load(indexDir: string, embedder: NamedEmbeddings): Promise<KnowledgeIndex> {
    const read = (file: string) => readFile(path.join(indexDir, file), 'utf8');
    let manifest: IndexManifest;
    try {
      manifest = JSON.parse(await read(INDEX_FILES.manifest)) as IndexManifest;
    } catch {
      throw new LotseError('INDEX_MISSING', `No knowledge index in ${indexDir}.`, { hint: 'run `npm run index` (npm start builds it by itself)' });
    }
    if (manifest.embedderId !== embedder.id) {
      throw new LotseError('INDEX_CORRUPT', `The index in ${indexDir} was built with embeddings "${manifest.embedderId}", but the configuration gives "${embedder.id}".`, {
        hint: 'run `npm run index` to rebuild it with the configured embeddings',
      });
    }
    try {
      const [documents, chunks, lexical, vectors, lexicon] = await Promise.all([
        read(INDEX_FILES.documents).then((text) => JSON.parse(text) as DocumentMeta[]),
        read(INDEX_FILES.chunks).then((text) => JSON.parse(text) as Chunk[]),
        read(INDEX_FILES.lexical).then((text) => LexicalIndex.fromJSON(text)),
        VectorIndex.load(path.join(indexDir, INDEX_FILES.vectors), embedder.embeddings),
        readLexicon(indexDir),
      ]);
      if (vectors.size !== chunks.length) throw new Error(`${vectors.size} vectors for ${chunks.length} chunks`);
      return new KnowledgeIndex(manifest, documents, chunks, vectors, lexical, embedder, lexicon);
    } catch (error) {
      throw new LotseError('INDEX_CORRUPT', `The index in ${indexDir} is damaged: ${(error as Error).message}`, {
        hint: 'run `npm run index -- --force` to rebuild it',
        cause: error,
      });
    }
  }

  chunkByLabel(label: number): Chunk | undefined {
    return this.chunks[label];
  }
}

/** The lexicon stored with an index; undefined for an index built without one (older indexes too). */
async function readLexicon(indexDir: string): Promise<QueryLexicon | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(indexDir, INDEX_FILES.lexicon), 'utf8');
  } catch {
    return undefined;
  }
  return new QueryLexicon(lexiconSchema.parse(JSON.parse(text)).concepts);
}
