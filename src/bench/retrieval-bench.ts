import type { Chunk } from '../core/knowledge.js';
import type { HybridRetriever } from '../retrieval/hybrid-retriever.js';
import { LocalEmbeddings } from '../retrieval/local-embeddings.js';
import { VectorIndex } from '../retrieval/vector-index.js';
import { ExactSearch } from './exact-search.js';
import { fmt, quantile, timeMs } from './stats.js';

export interface SizeResult {
  chunks: number;
  efSearch: number;
  buildSeconds: number;
  hnswP50: number;
  hnswP99: number;
  exactP50: number;
  exactP99: number;
  recallAt10: number;
  speedup: number;
}

/** A deterministic pseudo-random generator, so that every run measures the same corpus. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic chunks that read like the real ones: sentences of the knowledge base recombined. */
export function syntheticTexts(chunks: Chunk[], count: number, seed = 7): string[] {
  const sentences = chunks.flatMap((c) => c.text.split(/(?<=[.!?؟۔])\s+|\n+/u)).filter((s) => s.length > 20);
  const random = mulberry32(seed);
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  return Array.from({ length: count }, (_, i) => `${pick()} ${pick()} ${pick()} (${i})`);
}

/**
 * HNSW against exact search over the same vectors: latency of k=10 queries and recall@10, for each
 * efSearch value on one built index (the exact top 10 is computed once, in the same run).
 */
export async function benchVectorSearch(texts: string[], queries: string[], embedder: LocalEmbeddings, efValues: number[]): Promise<SizeResult[]> {
  const vectors = await embedder.embedDocuments(texts);
  const queryVectors = await embedder.embedDocuments(queries);
  let index!: VectorIndex;
  const buildMs = await timeMs(async () => (index = await VectorIndex.build(vectors, embedder)));
  const exact = new ExactSearch(vectors, embedder.dimensions);
  const exactTimes: number[] = [];
  const truths: Set<number>[] = [];
  for (const q of queryVectors) {
    let truth: number[] = [];
    exactTimes.push(await timeMs(() => (truth = exact.search(q, 10))));
    truths.push(new Set(truth));
  }
  const exactP50 = quantile(exactTimes, 0.5);
  const results: SizeResult[] = [];
  for (const ef of efValues) {
    index.setEfSearch(ef);
    for (const q of queryVectors) await index.search(q, 10); // warm-up
    // Three rounds over the queries: the machine is shared and noisy, so each percentile is the median of the rounds'.
    const rounds: number[][] = [];
    let found = 0;
    for (let round = 0; round < 3; round++) {
      const times: number[] = [];
      for (const [i, q] of queryVectors.entries()) {
        let approximate: number[] = [];
        times.push(await timeMs(async () => (approximate = (await index.search(q, 10)).map((h) => h.label))));
        if (round === 0) found += approximate.filter((label) => truths[i]!.has(label)).length;
      }
      rounds.push(times);
    }
    const median = (xs: number[]) => quantile(xs, 0.5);
    const hnswP50 = median(rounds.map((times) => quantile(times, 0.5)));
    results.push({
      chunks: texts.length,
      efSearch: ef,
      buildSeconds: buildMs / 1000,
      hnswP50,
      hnswP99: median(rounds.map((times) => quantile(times, 0.99))),
      exactP50,
      exactP99: quantile(exactTimes, 0.99),
      recallAt10: found / (queryVectors.length * 10),
      speedup: exactP50 / hnswP50,
    });
  }
  return results;
}

/** Whole retrieval on the real index: embed, HNSW, BM25, fusion, confidence. */
export async function benchRetriever(retriever: HybridRetriever, questions: { q: string; lang: string }[]): Promise<{ p50: number; p99: number; n: number }> {
  const times: number[] = [];
  for (const q of questions) await retriever.retrieve({ text: q.q, language: q.lang as 'en' });
  for (let round = 0; round < 5; round++) {
    for (const q of questions) times.push(await timeMs(() => retriever.retrieve({ text: q.q, language: q.lang as 'en' })));
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), n: times.length };
}

export function formatSizeTable(results: SizeResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.chunks.toLocaleString('en')} | ${r.efSearch} | ${fmt(r.hnswP50)} | ${fmt(r.hnswP99)} | ${fmt(r.exactP50)} | ${fmt(r.exactP99)} | ${r.speedup.toFixed(0)}× | ${r.recallAt10.toFixed(3)} | ${r.buildSeconds.toFixed(1)} s |`,
  );
  return ['| chunks | efSearch | HNSW p50 | HNSW p99 | exact p50 | exact p99 | speed-up (p50) | recall@10 | HNSW build |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
}
