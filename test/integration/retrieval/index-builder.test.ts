import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/retrieval/index-builder.js';
import { KnowledgeIndex } from '../../../src/retrieval/knowledge-index.js';
import { HybridRetriever } from '../../../src/retrieval/hybrid-retriever.js';
import { LocalEmbeddings } from '../../../src/retrieval/local-embeddings.js';
import { frontMatter, knowledgeFolder } from '../../helpers/knowledge-fixture.js';

const local = new LocalEmbeddings();
const embedder = { embeddings: local, id: local.id };
const folders: string[] = [];

async function fixture() {
  const dir = await knowledgeFolder({
    'en/points.md': frontMatter({ id: 'points', title: 'Opportunity Card points' }) + '\n## Points needed\nYou need at least 6 points for the Opportunity Card.\n\n## Age\nUnder 35 gives 2 points.\n',
    'en/old.md': frontMatter({ id: 'old', title: 'Old thresholds', as_of: '2024-01-01', review_by: '2025-01-01' }) + '\n## Salary\nThe Blue Card salary threshold was 45300 euros in 2024.\n',
    'en/broken.md': '---\nid: broken\n---\nno valid front matter\n',
  });
  folders.push(dir);
  return { knowledgeDir: dir, indexDir: path.join(dir, '..', `${path.basename(dir)}-index`) };
}

afterEach(async () => {
  for (const dir of folders.splice(0)) {
    await rm(dir, { recursive: true, force: true });
    await rm(path.join(dir, '..', `${path.basename(dir)}-index`), { recursive: true, force: true });
  }
});

describe('buildIndex', () => {
  it('indexes the valid documents, reports the broken one and lists stale ones', async () => {
    const dirs = await fixture();
    const report = await buildIndex({ ...dirs, embedder, today: '2026-11-22' });
    expect(report).toMatchObject({ upToDate: false, documents: 2, chunks: 3, embedded: 3, reused: 0 });
    expect(report.problems).toEqual([{ file: 'en/broken.md', message: expect.stringContaining('title') }]);
    expect(report.stale.map((m) => m.id)).toEqual(['old']);
    const index = await KnowledgeIndex.load(dirs.indexDir, embedder);
    expect(index.chunks).toHaveLength(3);
    expect(index.vectors.size).toBe(3);
  });

  it('does no work on a second run over unchanged content', async () => {
    const dirs = await fixture();
    await buildIndex({ ...dirs, embedder });
    const manifest = await readFile(path.join(dirs.indexDir, 'manifest.json'), 'utf8');
    const again = await buildIndex({ ...dirs, embedder });
    expect(again).toMatchObject({ upToDate: true, embedded: 0 });
    expect(await readFile(path.join(dirs.indexDir, 'manifest.json'), 'utf8')).toBe(manifest);
  });

  it('re-embeds only the chunks that changed', async () => {
    const dirs = await fixture();
    await buildIndex({ ...dirs, embedder });
    const file = path.join(dirs.knowledgeDir, 'en/points.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Under 35 gives 2 points.', 'Up to age 35 gives 2 points.'));
    const report = await buildIndex({ ...dirs, embedder });
    expect(report).toMatchObject({ upToDate: false, chunks: 3, embedded: 1, reused: 2 });
  });

  it('refuses to load an index built with other embeddings, and says what to run', async () => {
    const dirs = await fixture();
    await buildIndex({ ...dirs, embedder });
    const other = new LocalEmbeddings({ dimensions: 64 });
    await expect(KnowledgeIndex.load(dirs.indexDir, { embeddings: other, id: other.id })).rejects.toThrow(/built with embeddings/);
    await expect(KnowledgeIndex.load(path.join(dirs.indexDir, 'nope'), embedder)).rejects.toMatchObject({ code: 'INDEX_MISSING' });
  });

  it('flags passages of a document past its review-by date', async () => {
    const dirs = await fixture();
    await buildIndex({ ...dirs, embedder });
    const retriever = new HybridRetriever(await KnowledgeIndex.load(dirs.indexDir, embedder), { today: () => '2026-11-22' });
    const result = await retriever.retrieve({ text: 'Blue Card salary threshold', language: 'en' });
    expect(result.passages[0]).toMatchObject({ meta: { id: 'old' }, stale: true });
    const fresh = await retriever.retrieve({ text: 'points needed for the Opportunity Card', language: 'en' });
    expect(fresh.passages[0]).toMatchObject({ meta: { id: 'points' }, stale: false });
  });
});
