import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentMeta } from '../core/knowledge.js';
import { INDEX_FILES } from '../retrieval/knowledge-index.js';

/** The knowledge's documents: the titles of the sources used, and what a group of questions may be linked to. */
export interface DocumentCatalogue {
  documents(): Promise<readonly DocumentMeta[]>;
}

/**
 * The documents of the knowledge index (its documents.json, a few hundred entries), or of the
 * knowledge folder itself while no index is built (a gateway may start before the indexer). Read
 * again after `refreshMs`, so that new documents show up without a restart.
 */
export function knowledgeCatalogue(config: { indexDir: string; knowledgeDir: string }, refreshMs = 5 * 60_000): DocumentCatalogue {
  let cached: { at: number; documents: Promise<readonly DocumentMeta[]> } | undefined;
  const load = async (): Promise<readonly DocumentMeta[]> => {
    try {
      return JSON.parse(await readFile(path.join(config.indexDir, INDEX_FILES.documents), 'utf8')) as DocumentMeta[];
    } catch {
      const { loadKnowledge } = await import('../retrieval/knowledge-loader.js');
      return (await loadKnowledge(config.knowledgeDir)).documents.map((document) => document.meta);
    }
  };
  return {
    documents() {
      if (!cached || Date.now() - cached.at > refreshMs) {
        const documents = load();
        cached = { at: Date.now(), documents };
        documents.catch(() => (cached = undefined));
      }
      return cached.documents;
    },
  };
}

/** A source's title: the document itself (English base), or a translation of it, or its id when the knowledge has it no more. */
export function documentTitle(documents: readonly DocumentMeta[], id: string): string {
  const exact = documents.find((meta) => meta.id === id);
  if (exact) return exact.title;
  return documents.find((meta) => meta.baseId === id && meta.language === 'en')?.title ?? documents.find((meta) => meta.baseId === id)?.title ?? id;
}
