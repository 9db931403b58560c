import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';

export interface HnswParams {
  /** Graph degree (default 16). */
  m?: number;
  /** Build-time candidate list (default 200). */
  efConstruction?: number;
  /**
   * Query-time candidate list: higher is slower and closer to exact search. A number pins it; by
   * default it follows the index and the k asked for (efSearchFor).
   */
  efSearch?: number;
}

/** The candidate list at most: recall@10 ≥ 0.98 at 100k chunks (BENCHMARKS.md, "Retrieval"). */
export const MAX_EF_SEARCH = 320;

/** The candidate list at least (recall on a few hundred vectors). */
export const MIN_EF_SEARCH = 64;

/**
 * The query-time candidate list for k nearest of `size` vectors: proportional to the index (a 16th
 * of it), at least twice k and MIN_EF_SEARCH, at most MAX_EF_SEARCH. A small index is then not
 * searched almost exhaustively (320 of 2,600 vectors), and recall stays at 0.98 or more against
 * exact search (test/integration/retrieval/vector-recall.test.ts); from 5,120 vectors on it is
 * MAX_EF_SEARCH, as before.
 */
export function efSearchFor(size: number, k: number): number {
  return Math.min(MAX_EF_SEARCH, Math.max(2 * k, MIN_EF_SEARCH, Math.ceil(size / 16)));
}

export interface VectorHit {
  /** Position of the vector when it was added. */
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** LangChain's HNSWLib files in an index's folder: the hnswlib index, its arguments, and the docstore (each vector's label). */
const FILES = { index: 'hnswlib.index', args: 'args.json', docstore: 'docstore.json' } as const;

/**
 * The dense half of the index: hnswlib in cosine space, with its parameters under our control.
 * LangChain's HNSWLib builds it and writes it (its three files); a search, and loading what it
 * wrote, go to hnswlib directly: LangChain's vector store and document classes (and the tracing
 * modules they bring, some megabytes) are only loaded to build an index.
 */
export class VectorIndex {
  /** Our label of each HNSW label; undefined when they are the same (every index VectorIndex.build makes). */
  private readonly labels: Int32Array | undefined;
  /** The ef hnswlib was last set to. */
  private ef = -1;

  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    labels: Int32Array,
    /** A pinned candidate list; undefined: efSearchFor. */
    private efSearch: number | undefined,
    /** The store that built the index, to write it (LangChain's format). */
    private readonly store?: HNSWLib,
  ) {
    this.labels = labels.every((label, i) => label === i) ? undefined : labels;
  }

  /** Builds an index over the given vectors; the label of vector i is i. */
  static async build(vectors: number[][], embeddings: EmbeddingsInterface, params: HnswParams = {}): Promise<VectorIndex> {
    const [{ HNSWLib }, { Document }] = await Promise.all([import('@langchain/community/vectorstores/hnswlib'), import('@langchain/core/documents')]);
    const dimensions = vectors[0]?.length ?? 1;
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(1, vectors.length), params.m ?? 16, params.efConstruction ?? 200, 100);
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimensions, index });
    // The docstore keeps only the label: chunk text and metadata live in the knowledge index.
    await store.addVectors(vectors, vectors.map((_, label) => new Document({ pageContent: '', metadata: { label } })));
    return new VectorIndex(index, Int32Array.from(vectors, (_, label) => label), params.efSearch, store);
  }

  /** Reads what `save` wrote (as LangChain's HNSWLib.load does); the embeddings are not needed to search. */
  static async load(directory: string, _embeddings?: EmbeddingsInterface, efSearch?: number): Promise<VectorIndex> {
    const args = JSON.parse(await readFile(path.join(directory, FILES.args), 'utf8')) as { space?: hnswlib.SpaceName; numDimensions?: number };
    if (!args.space) throw new Error('hnswlib-node requires a space argument');
    if (args.numDimensions === undefined) throw new Error('hnswlib-node requires a numDimensions argument');
    const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
    const [docstore] = await Promise.all([readFile(path.join(directory, FILES.docstore), 'utf8'), index.readIndex(path.join(directory, FILES.index))]);
    return new VectorIndex(index, labelMap(JSON.parse(docstore) as [string, { metadata?: { label?: unknown } }][], index.getCurrentCount()), efSearch);
  }

  /** Pins the query-time candidate list (recall against speed); undefined goes back to efSearchFor. */
  setEfSearch(ef: number | undefined): void {
    this.efSearch = ef;
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  get dimensions(): number {
    return this.index.getNumDimensions();
  }

  /** Writes the index in LangChain's HNSWLib format; only an index this process built. */
  async save(directory: string): Promise<void> {
    if (!this.store) throw new Error('a loaded vector index is not written again: build one');
    await this.store.save(directory);
  }

  /**
   * The k nearest vectors, most similar first; with a filter, the k nearest of those it accepts (filtered during the search, not after).
   * What LangChain's similaritySearchVectorWithScore does, without looking each label up in the docstore.
   */
  async search(query: number[], k: number, accept?: (label: number) => boolean): Promise<VectorHit[]> {
    const limit = Math.min(k, this.size);
    if (limit === 0) return [];
    if (query.length !== this.dimensions) throw new Error(`Query vector must have the same length as the number of dimensions (${this.dimensions})`);
    const ef = this.efSearch ?? efSearchFor(this.size, limit);
    if (ef !== this.ef) {
      this.index.setEf(ef);
      this.ef = ef;
    }
    const labels = this.labels;
    const filter = accept && (labels ? (label: number) => accept(labels[label]!) : accept);
    const { neighbors, distances } = this.index.searchKnn(query, limit, filter);
    // hnswlib reports cosine distance; similarity reads better in scores and thresholds.
    return neighbors.map((label, i) => ({ label: labels ? labels[label]! : label, similarity: 1 - distances[i]! }));
  }

  /** The stored vector of a label (for exact comparisons and benchmarks). */
  vector(label: number): number[] {
    return this.index.getPoint(label);
  }
}

/** Our label of each hnswlib label, from the docstore ([id, document] pairs); -1 where the docstore has none. */
function labelMap(docstore: [string, { metadata?: { label?: unknown } }][], count: number): Int32Array {
  const labels = new Int32Array(count).fill(-1);
  for (const [id, document] of docstore) {
    const at = Number(id);
    if (Number.isInteger(at) && at >= 0 && at < count && typeof document?.metadata?.label === 'number') labels[at] = document.metadata.label;
  }
  return labels;
}
