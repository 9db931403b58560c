import type { Config } from '../config/config.js';
import { isLotseError } from '../core/errors.js';
import { createEmbeddings } from './embeddings-factory.js';
import { HybridRetriever } from './hybrid-retriever.js';
import { buildIndex, type BuildReport } from './index-builder.js';
import { KnowledgeIndex } from './knowledge-index.js';

export interface OpenedKnowledge {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  /** Present when the index had to be built first. */
  built?: BuildReport;
}

/** Loads the knowledge index, building it first when it is missing, and returns a retriever over it. */
export async function openKnowledge(config: Pick<Config, 'knowledgeDir' | 'indexDir' | 'embeddings'>): Promise<OpenedKnowledge> {
  const embedder = createEmbeddings(config);
  let built: BuildReport | undefined;
  let index: KnowledgeIndex;
  try {
    index = await KnowledgeIndex.load(config.indexDir, embedder);
  } catch (error) {
    if (!isLotseError(error, 'INDEX_MISSING') && !isLotseError(error, 'INDEX_CORRUPT')) throw error;
    built = await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder, force: true });
    index = await KnowledgeIndex.load(config.indexDir, embedder);
  }
  return { index, retriever: new HybridRetriever(index), built };
}
