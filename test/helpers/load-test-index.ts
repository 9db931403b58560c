import { inject } from 'vitest';
import { HybridRetriever } from '../../src/retrieval/hybrid-retriever.js';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { LocalEmbeddings } from '../../src/retrieval/local-embeddings.js';

/** A retriever over the real knowledge index that test/global-setup.ts built once. */
export async function testRetriever(): Promise<HybridRetriever> {
  const local = new LocalEmbeddings();
  return new HybridRetriever(await KnowledgeIndex.load(inject('indexDir'), { embeddings: local, id: local.id }));
}
