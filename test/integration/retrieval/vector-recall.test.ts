import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ExactSearch } from '../../../src/bench/exact-search.js';
import { syntheticTexts } from '../../../src/bench/retrieval-bench.js';
import { KnowledgeIndex } from '../../../src/retrieval/knowledge-index.js';
import { LocalEmbeddings } from '../../../src/retrieval/local-embeddings.js';
import { loadEvalQuestions } from '../../../src/retrieval/retrieval-eval.js';
import { efSearchFor, MAX_EF_SEARCH, VectorIndex } from '../../../src/retrieval/vector-index.js';

const embedder = new LocalEmbeddings();

/** Share of the exact k nearest that the index returns, over all queries. */
async function recall(index: VectorIndex, exact: ExactSearch, queries: number[][], k: number): Promise<number> {
  let found = 0;
  let total = 0;
  for (const query of queries) {
    const truth = new Set(exact.search(query, Math.min(k, index.size)));
    found += (await index.search(query, k)).filter((hit) => truth.has(hit.label)).length;
    total += truth.size;
  }
  return found / total;
}

describe('the query-time candidate list (efSearch) in proportion to the index', () => {
  it('grows with the index and with k, within its bounds', () => {
    expect(efSearchFor(300, 10)).toBe(64);
    expect(efSearchFor(2_600, 40)).toBe(163);
    expect(efSearchFor(2_600, 80)).toBe(163);
    expect(efSearchFor(1_000, 80)).toBe(160);
    expect(efSearchFor(10_000, 40)).toBe(MAX_EF_SEARCH);
    expect(efSearchFor(100_000, 10)).toBe(MAX_EF_SEARCH);
  });

  it('keeps recall at 0.98 or more against exact search on the real knowledge, for both passes (k 40 and 80)', async () => {
    const index = await KnowledgeIndex.load(inject('indexDir'), { embeddings: embedder, id: embedder.id });
    const vectors = index.chunks.map((_, label) => index.vectors.vector(label));
    const exact = new ExactSearch(vectors, embedder.dimensions);
    const queries = await embedder.embedDocuments((await loadEvalQuestions('test/fixtures/retrieval-questions')).map((q) => q.q));
    expect(await recall(index.vectors, exact, queries, 40)).toBeGreaterThanOrEqual(0.98);
    expect(await recall(index.vectors, exact, queries, 80)).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps recall@10 at 0.98 or more on the retrieval benchmark’s synthetic chunks', async () => {
    const index = await KnowledgeIndex.load(inject('indexDir'), { embeddings: embedder, id: embedder.id });
    const questions = await loadEvalQuestions('test/fixtures/retrieval-questions');
    const queries = await embedder.embedDocuments([...questions.map((q) => q.q), ...syntheticTexts(index.chunks, 22, 99)]);
    for (const size of [1_000, 3_000]) {
      const vectors = await embedder.embedDocuments(syntheticTexts(index.chunks, size));
      const built = await VectorIndex.build(vectors, embedder);
      expect(await recall(built, new ExactSearch(vectors, embedder.dimensions), queries, 10)).toBeGreaterThanOrEqual(0.98);
    }
  });
});

describe('VectorIndex, loaded without LangChain', () => {
  it('finds what the index it was built from finds, labels and similarities alike', async () => {
    const index = await KnowledgeIndex.load(inject('indexDir'), { embeddings: embedder, id: embedder.id });
    const vectors = await embedder.embedDocuments(syntheticTexts(index.chunks, 500));
    const built = await VectorIndex.build(vectors, embedder);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-vectors-'));
    try {
      await built.save(dir);
      const loaded = await VectorIndex.load(dir);
      expect(loaded.size).toBe(500);
      const accept = (label: number) => label % 3 !== 0;
      for (const query of vectors.slice(0, 50)) {
        expect(await loaded.search(query, 20)).toEqual(await built.search(query, 20));
        expect(await loaded.search(query, 20, accept)).toEqual(await built.search(query, 20, accept));
      }
      await expect(loaded.save(dir)).rejects.toThrow(/not written again/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
