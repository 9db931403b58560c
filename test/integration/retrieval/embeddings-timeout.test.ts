import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddings } from '../../../src/retrieval/embeddings-factory.js';
import { buildIndex } from '../../../src/retrieval/index-builder.js';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { frontMatter, knowledgeFolder } from '../../helpers/knowledge-fixture.js';

let server: FakeOpenAiServer;
const folders: string[] = [];

beforeAll(async () => {
  server = await new FakeOpenAiServer().start();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.embeddingsDelayMs = 0;
  server.abandoned.length = 0;
  server.embeddingRequests.length = 0;
});
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

const remote = (timeoutMs: number, maxRetries: number) =>
  createEmbeddings({ embeddings: { kind: 'openai', model: 'test-embeddings', baseUrl: server.baseUrl } }, { timeoutMs, maxRetries });

async function eventually(predicate: () => boolean, ms = 2_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('remote embeddings (EMBEDDINGS=openai) on a hung server', () => {
  it('embed normally when the server answers', async () => {
    const vectors = await remote(2_000, 0).embeddings.embedDocuments(['one', 'two']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(8);
  });

  it('abort the request after the timeout and close the connection', async () => {
    server.embeddingsDelayMs = 10_000;
    const started = Date.now();
    await expect(remote(300, 0).embeddings.embedQuery('how many points?')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await eventually(() => server.abandoned.includes('POST /v1/embeddings'), 2_000, 'the connection to close');
  });

  it('retry at most maxRetries times, each attempt aborted: (maxRetries + 1) × timeout plus a pause of 1-2 s', async () => {
    server.embeddingsDelayMs = 10_000;
    const started = Date.now();
    await expect(remote(300, 1).embeddings.embedQuery('how many points?')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2 * 300 + 2_000 + 500);
    expect(server.embeddingRequests).toHaveLength(2);
    await eventually(() => server.abandoned.filter((request) => request === 'POST /v1/embeddings').length === 2, 2_000, 'both connections to close');
  });

  it('fail an index build with EMBEDDINGS_FAILED in bounded time, leaving no lock and no half-written index', async () => {
    server.embeddingsDelayMs = 10_000;
    const knowledgeDir = await knowledgeFolder({ 'en/points.md': frontMatter({ id: 'points', title: 'Points' }) + '\n## Points\nYou need 6 points.\n' });
    folders.push(knowledgeDir);
    const indexDir = path.join(knowledgeDir, 'data', 'index');
    const started = Date.now();
    await expect(buildIndex({ knowledgeDir, indexDir, embedder: remote(300, 0) })).rejects.toMatchObject({ code: 'EMBEDDINGS_FAILED' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await readdir(path.dirname(indexDir))).toEqual([]);
  });
});
