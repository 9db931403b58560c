import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { createEmbeddings } from '../src/retrieval/embeddings-factory.js';
import { buildIndex } from '../src/retrieval/index-builder.js';

let dir: string | undefined;

/** Builds the real knowledge index once, in a temp folder, for every test that needs it. */
export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-test-index-'));
  const config = loadConfig({});
  const indexDir = path.join(dir, 'index');
  const report = await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir, embedder: createEmbeddings(config), force: true });
  project.provide('indexDir', indexDir);
  project.provide('knowledgeProblems', JSON.stringify(report.problems));
  project.provide('redisUrl', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
}

export async function teardown(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
