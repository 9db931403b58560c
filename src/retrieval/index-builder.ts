import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chunk, DocumentMeta, KnowledgeDocument } from '../core/knowledge.js';
import { NORMALIZATION_VERSION } from '../core/text/normalize-text.js';
import { STOPWORDS_VERSION } from '../i18n/stopwords.js';
import { LotseError } from '../core/errors.js';
import { indexLockPath, withBuildLock, type BuildLockOptions } from './build-lock.js';
import { CHUNKER_VERSION, chunkDocument, contextualText } from './chunker.js';
import type { NamedEmbeddings } from './embeddings-factory.js';
import { INDEX_FILES, type IndexManifest } from './knowledge-index.js';
import { loadKnowledge, type KnowledgeProblem } from './knowledge-loader.js';
import { LexicalIndex } from './lexical-index.js';
import { loadLexicon, type LexiconConcept } from './query-lexicon.js';
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
  /** The caller already holds the build lock of indexDir (openKnowledge); otherwise it is taken here. */
  lockHeld?: boolean;
  lock?: BuildLockOptions;
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

/** A name no other process (or earlier run of this one) uses: pid and random. */
const uniqueSuffix = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Swaps a freshly written index into place, so that a reader never sees half of one. */
async function swapInto(indexDir: string, staging: string): Promise<void> {
  const old = `${indexDir}.old-${uniqueSuffix()}`;
  const hadOne = await rename(indexDir, old).then(() => true, () => false);
  try {
    await rename(staging, indexDir);
  } catch (error) {
    // Keep serving the previous index rather than none.
    if (hadOne) await rename(old, indexDir).catch(() => undefined);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

/** Removes staging and old folders that a crashed build left beside the index; only called under the lock. */
async function removeLeftovers(indexDir: string): Promise<void> {
  const base = path.basename(indexDir);
  const entries = await readdir(path.dirname(indexDir)).catch(() => [] as string[]);
  const leftovers = entries.filter((name) => name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.old-`));
  await Promise.all(leftovers.map((name) => rm(path.join(path.dirname(indexDir), name), { recursive: true, force: true })));
}

/**
 * Loads, validates, chunks and embeds the knowledge and writes the index. Broken documents are
 * reported and skipped; unchanged knowledge leaves the index untouched. One build at a time per
 * index folder, across processes (see build-lock.ts).
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  if (options.lockHeld) return buildHoldingLock(options);
  return withBuildLock(indexLockPath(options.indexDir), () => buildHoldingLock(options), options.lock);
}

async function buildHoldingLock(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const today = options.today ?? isoToday();
  const { documents, problems } = await loadKnowledge(options.knowledgeDir);
  const lexicon = await loadLexicon(options.knowledgeDir);
  problems.push(...lexicon.problems);
  const stale = documents.filter((d) => isStale(d.meta, today)).map((d) => d.meta);
  const hashes = Object.fromEntries(documents.map((d) => [d.meta.id, { file: d.meta.file, hash: documentHash(d) }]));
  // The lexicon counts only when there is one, so that the fingerprint of a knowledge folder without one stays as it was.
  const lexiconHash = lexicon.concepts.length > 0 ? [sha256(JSON.stringify(lexicon.concepts))] : [];
  const fingerprint = sha256(JSON.stringify([options.embedder.id, CHUNKER_VERSION, NORMALIZATION_VERSION, STOPWORDS_VERSION, Object.entries(hashes).sort(), ...lexiconHash]));

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
  const keys = texts.map((text) => sha256(`${options.embedder.id}\n${NORMALIZATION_VERSION}\n${STOPWORDS_VERSION}\n${text}`));
  const cache = options.force ? new VectorCache() : await VectorCache.read(options.indexDir);
  const { vectors, embedded } = await embedAll(texts, keys, options.embedder, cache);

  await removeLeftovers(options.indexDir);
  const staging = `${options.indexDir}.tmp-${uniqueSuffix()}`;
  await mkdir(staging, { recursive: true });
  try {
    await writeIndex(staging, { documents, chunks, keys, vectors, fingerprint, hashes, embedder: options.embedder, lexicon: lexicon.concepts });
    await swapInto(options.indexDir, staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { ...base, upToDate: false, chunks: chunks.length, embedded, reused: chunks.length - embedded, durationMs: performance.now() - started };
}

interface IndexContent {
  documents: KnowledgeDocument[];
  chunks: Chunk[];
  keys: string[];
  vectors: number[][];
  fingerprint: string;
  hashes: IndexManifest['documents'];
  embedder: NamedEmbeddings;
  lexicon: LexiconConcept[];
}

/** Writes every index file into `staging`; the manifest last, as its presence means the rest is complete. */
async function writeIndex(staging: string, content: IndexContent): Promise<void> {
  const { documents, chunks, keys, vectors, embedder } = content;
  const vectorIndex = await VectorIndex.build(vectors, embedder.embeddings);
  await vectorIndex.save(path.join(staging, INDEX_FILES.vectors));
  const metas = new Map(documents.map((d) => [d.meta.id, d.meta]));
  const lexical = LexicalIndex.build(
    chunks.map((chunk) => ({ id: chunk.id, title: metas.get(chunk.docId)!.title, headings: chunk.headings.join(' '), text: chunk.text })),
  );
  const manifest: IndexManifest = {
    formatVersion: 1,
    embedderId: embedder.id,
    chunkerVersion: CHUNKER_VERSION,
    fingerprint: content.fingerprint,
    builtAt: new Date().toISOString(),
    documents: content.hashes,
    chunkCount: chunks.length,
  };
  await Promise.all([
    writeFile(path.join(staging, INDEX_FILES.documents), JSON.stringify(documents.map((d) => d.meta))),
    writeFile(path.join(staging, INDEX_FILES.chunks), JSON.stringify(chunks)),
    writeFile(path.join(staging, INDEX_FILES.lexical), lexical.toJSON()),
    VectorCache.write(staging, keys, vectors),
    content.lexicon.length > 0 ? writeFile(path.join(staging, INDEX_FILES.lexicon), JSON.stringify({ concepts: content.lexicon })) : undefined,
  ]);
  await writeFile(path.join(staging, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
}
