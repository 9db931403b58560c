import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';

export interface HnswParams {
  /** Graph degree (default 16). */
  m?: number;
  /** Build-time candidate list (default 200). */
  efConstruction?: number;
  /** Query-time candidate list (default 320: recall@10 ≥ 0.98 at 100k chunks, see BENCHMARKS.md): higher is slower and closer to exact search. */
  efSearch?: number;
}

export interface VectorHit {
  /** Position of the vector when it was added. */
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** The dense half of the index: HNSWLib (hnswlib-node) in cosine space, with its parameters under our control. */
export class VectorIndex {
  private constructor(
    readonly store: HNSWLib,
    private readonly efSearch: number,
  ) {
    store.index.setEf(efSearch);
  }

  /** Builds an index over the given vectors; the label of vector i is i. */
  static async build(vectors: number[][], embeddings: EmbeddingsInterface, params: HnswParams = {}): Promise<VectorIndex> {
    const dimensions = vectors[0]?.length ?? 1;
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(1, vectors.length), params.m ?? 16, params.efConstruction ?? 200, 100);
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimensions, index });
    // The docstore keeps only the label: chunk text and metadata live in the knowledge index.
    await store.addVectors(vectors, vectors.map((_, label) => new Document({ pageContent: '', metadata: { label } })));
    return new VectorIndex(store, params.efSearch ?? 320);
  }

  static async load(directory: string, embeddings: EmbeddingsInterface, efSearch = 320): Promise<VectorIndex> {
    return new VectorIndex(await HNSWLib.load(directory, embeddings), efSearch);
  }

  /** Changes the query-time candidate list (recall against speed). */
  setEfSearch(ef: number): void {
    this.store.index.setEf(ef);
  }

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  async save(directory: string): Promise<void> {
    await this.store.save(directory);
  }

  /** The k nearest vectors, most similar first; with a filter, the k nearest of those it accepts (filtered during the search, not after). */
  async search(query: number[], k: number, accept?: (label: number) => boolean): Promise<VectorHit[]> {
    const limit = Math.min(k, this.size);
    if (limit === 0) return [];
    const filter = accept && ((document: Document) => accept(document.metadata.label as number));
    const hits = await this.store.similaritySearchVectorWithScore(query, limit, filter);
    // HNSWLib reports cosine distance; similarity reads better in scores and thresholds.
    return hits.map(([document, distance]) => ({ label: document.metadata.label as number, similarity: 1 - distance }));
  }

  /** The stored vector of a label (for exact comparisons and benchmarks). */
  vector(label: number): number[] {
    return this.store.index.getPoint(label);
  }
}
