import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chunk, DocumentMeta, KnowledgeDocument } from '../core/knowledge.js';
import { NORMALIZATION_VERSION } from '../core/text/normalize-text.js';
import { LotseError } from '../core/errors.js';
import { CHUNKER_VERSION, chunkDocument, contextualText } from './chunker.js';
import type { NamedEmbeddings } from './embeddings-factory.js';
import { INDEX_FILES, type IndexManifest } from './knowledge-index.js';
import { loadKnowledge, type KnowledgeProblem } from './knowledge-loader.js';
import { LexicalIndex } from './lexical-index.js';
import { isStale, isoToday } from './stale-documents.js';
import { VectorCache } from './vector-cache.js';
import { VectorIndex } from './vector-index.js';

export interface BuildOptions {
  knowledgeDir: string;
  indexDir: string;
  embedder: NamedEmbeddings;
  /** Rebuild even when nothing changed. */
  force?: boolean;
  today?: string;
}

export interface BuildReport {
  /** True when the index already matched the knowledge and nothing was written. */
  upToDate: boolean;
  documents: number;
  chunks: number;
  /** Chunks embedded in this run, and chunks whose vectors were reused. */
  embedded: number;
  reused: number;
  problems: KnowledgeProblem[];
  stale: DocumentMeta[];
  durationMs: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function documentHash(document: KnowledgeDocument): string {
  const { file: _file, ...meta } = document.meta;
  return sha256(JSON.stringify({ meta, body: document.body }));
}

async function readManifest(indexDir: string): Promise<IndexManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(indexDir, INDEX_FILES.manifest), 'utf8')) as IndexManifest;
  } catch {
    return undefined;
  }
}

async function embedAll(texts: string[], keys: string[], embedder: NamedEmbeddings, cache: VectorCache) {
  const vectors: (number[] | undefined)[] = keys.map((key) => cache.get(key));
  const missing = vectors.flatMap((vector, i) => (vector ? [] : [i]));
  const batch = 64;
  for (let start = 0; start < missing.length; start += batch) {
    const slice = missing.slice(start, start + batch);
    let embedded: number[][];
    try {
      embedded = await embedder.embeddings.embedDocuments(slice.map((i) => texts[i]!));
    } catch (error) {
      throw new LotseError('EMBEDDINGS_FAILED', `Embedding the knowledge failed: ${(error as Error).message}`, {
        hint: 'check OPENAI_API_KEY / OPENAI_BASE_URL and EMBEDDINGS_MODEL, or use EMBEDDINGS=local',
        cause: error,
      });
    }
    slice.forEach((i, j) => (vectors[i] = embedded[j]));
  }
  return { vectors: vectors as number[][], embedded: missing.length };
}

/** Swaps a freshly written index into place, so that a reader never sees half of one. */
async function swapInto(indexDir: string, staging: string): Promise<void> {
  const old = `${indexDir}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(indexDir, old).catch(() => undefined);
  await rename(staging, indexDir);
  await rm(old, { recursive: true, force: true });
}

/**
 * Loads, validates, chunks and embeds the knowledge and writes the index. Broken documents are
 * reported and skipped; unchanged knowledge leaves the index untouched.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const today = options.today ?? isoToday();
  const { documents, problems } = await loadKnowledge(options.knowledgeDir);
  const stale = documents.filter((d) => isStale(d.meta, today)).map((d) => d.meta);
  const hashes = Object.fromEntries(documents.map((d) => [d.meta.id, { file: d.meta.file, hash: documentHash(d) }]));
  const fingerprint = sha256(JSON.stringify([options.embedder.id, CHUNKER_VERSION, NORMALIZATION_VERSION, Object.entries(hashes).sort()]));

  const previous = await readManifest(options.indexDir);
  const base = { documents: documents.length, problems, stale };
  if (!options.force && previous?.fingerprint === fingerprint) {
    return { ...base, upToDate: true, chunks: previous.chunkCount, embedded: 0, reused: 0, durationMs: performance.now() - started };
  }

  const chunks: Chunk[] = [];
  const texts: string[] = [];
  for (const document of documents) {
    for (const chunk of chunkDocument(document)) {
      chunks.push(chunk);
      texts.push(contextualText(chunk, document.meta.title));
    }
  }
  const keys = texts.map((text) => sha256(`${options.embedder.id}\n${NORMALIZATION_VERSION}\n${text}`));
  const cache = options.force ? new VectorCache() : await VectorCache.read(options.indexDir);
  const { vectors, embedded } = await embedAll(texts, keys, options.embedder, cache);

  const staging = `${options.indexDir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const vectorIndex = await VectorIndex.build(vectors, options.embedder.embeddings);
  await vectorIndex.save(path.join(staging, INDEX_FILES.vectors));
  const metas = new Map(documents.map((d) => [d.meta.id, d.meta]));
  const lexical = LexicalIndex.build(
    chunks.map((chunk) => ({ id: chunk.id, title: metas.get(chunk.docId)!.title, headings: chunk.headings.join(' '), text: chunk.text })),
  );
  const manifest: IndexManifest = {
    formatVersion: 1,
    embedderId: options.embedder.id,
    chunkerVersion: CHUNKER_VERSION,
    fingerprint,
    builtAt: new Date().toISOString(),
    documents: hashes,
    chunkCount: chunks.length,
  };
  await Promise.all([
    writeFile(path.join(staging, INDEX_FILES.documents), JSON.stringify(documents.map((d) => d.meta))),
    writeFile(path.join(staging, INDEX_FILES.chunks), JSON.stringify(chunks)),
    writeFile(path.join(staging, INDEX_FILES.lexical), lexical.toJSON()),
    VectorCache.write(staging, keys, vectors),
  ]);
  // The manifest goes last: its presence means the rest is complete.
  await writeFile(path.join(staging, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
  await mkdir(path.dirname(options.indexDir), { recursive: true });
  await swapInto(options.indexDir, staging);
  return { ...base, upToDate: false, chunks: chunks.length, embedded, reused: chunks.length - embedded, durationMs: performance.now() - started };
}
