import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { createEmbeddings } from '../../../src/retrieval/embeddings-factory.js';
import { buildIndex } from '../../../src/retrieval/index-builder.js';

export interface DataDir {
  /** DATA_DIR for the processes: holds `index`. */
  path: string;
  remove(): Promise<void>;
}

/**
 * A temp DATA_DIR whose `index` is the prebuilt one (vitest: inject('indexDir'), linked, not
 * copied), or, without one (a run outside vitest), an index built here once from knowledge/.
 */
export async function prepareDataDir(indexDir?: string, knowledgeDir?: string): Promise<DataDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-faults-data-'));
  if (indexDir) {
    await symlink(indexDir, path.join(dir, 'index'), 'dir');
  } else {
    const config = loadConfig(knowledgeDir ? { KNOWLEDGE_DIR: knowledgeDir } : {});
    await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: path.join(dir, 'index'), embedder: createEmbeddings(config), force: true });
  }
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
