import type { Config } from '../config/config.js';
import { isLotseError } from '../core/errors.js';
import { indexLockPath, withBuildLock, type BuildLockOptions } from './build-lock.js';
import { createEmbeddings, type EmbeddingsOptions, type NamedEmbeddings } from './embeddings-factory.js';
import { HybridRetriever } from './hybrid-retriever.js';
import type { BuildReport } from './index-builder.js';
import { KnowledgeIndex } from './knowledge-index.js';

export interface OpenedKnowledge {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  /** Present when this process had to build the index first. */
  built?: BuildReport;
}

export interface OpenKnowledgeOptions {
  embeddings?: EmbeddingsOptions;
  lock?: BuildLockOptions;
}

/** The index in indexDir, or undefined when there is none or it must be rebuilt. */
async function tryLoad(indexDir: string, embedder: NamedEmbeddings): Promise<KnowledgeIndex | undefined> {
  try {
    return await KnowledgeIndex.load(indexDir, embedder);
  } catch (error) {
    if (isLotseError(error, 'INDEX_MISSING') || isLotseError(error, 'INDEX_CORRUPT')) return undefined;
    throw error;
  }
}

/**
 * Loads the knowledge index, building it first when it is missing, and returns a retriever over
 * it. Of several processes starting on one empty data folder, one builds under the build lock;
 * the others wait for it and then load what it built.
 */
export async function openKnowledge(
  config: Pick<Config, 'knowledgeDir' | 'indexDir' | 'embeddings'>,
  options: OpenKnowledgeOptions = {},
): Promise<OpenedKnowledge> {
  const embedder = createEmbeddings(config, options.embeddings);
  const ready = await tryLoad(config.indexDir, embedder);
  if (ready) return { index: ready, retriever: new HybridRetriever(ready) };
  return withBuildLock(
    indexLockPath(config.indexDir),
    async () => {
      // Whoever held the lock before us may have built it meanwhile.
      const meanwhile = await tryLoad(config.indexDir, embedder);
      if (meanwhile) return { index: meanwhile, retriever: new HybridRetriever(meanwhile) };
      // The builder (knowledge loader, Markdown and front-matter parsers, chunker) loads only when there is something to build.
      const { buildIndex } = await import('./index-builder.js');
      const built = await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder, force: true, lockHeld: true });
      const index = await KnowledgeIndex.load(config.indexDir, embedder);
      return { index, retriever: new HybridRetriever(index), built };
    },
    options.lock,
  );
}
