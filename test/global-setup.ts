import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { createEmbeddings } from '../src/retrieval/embeddings-factory.js';
import { buildIndex } from '../src/retrieval/index-builder.js';
import { screenModel } from '../src/escalation/learned/screen-model.js';
import { scopeModel } from '../src/answering/scope-model.js';

let dir: string | undefined;
let keysBefore: Set<string> | undefined;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function allKeys(redis: Redis): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of found) keys.add(key);
  } while (cursor !== '0');
  return keys;
}

/** Builds the real knowledge index once, in a temp folder, for every test that needs it; notes the keys Redis already holds. */
export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-test-index-'));
  const config = loadConfig({});
  const indexDir = path.join(dir, 'index');
  const report = await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir, embedder: createEmbeddings(config), force: true });
  project.provide('indexDir', indexDir);
  // Trains the safety screen once (or finds it cached), so that no test file pays for it.
  screenModel();
  scopeModel();
  project.provide('knowledgeProblems', JSON.stringify(report.problems));
  project.provide('redisUrl', redisUrl);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    keysBefore = await allKeys(redis);
  } catch {
    keysBefore = undefined; // no Redis: the tests that need it fail on their own, with their own message
  } finally {
    redis.disconnect();
  }
}

/** Removes the index, and fails the run when the tests left Redis keys behind (every test cleans up after itself). */
export async function teardown(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (!keysBefore) return;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const left = [...(await allKeys(redis))].filter((key) => !keysBefore!.has(key));
    if (left.length > 0) {
      const sample = left.slice(0, 20).join('\n  ');
      throw new Error(`the tests left ${left.length} Redis key(s) behind; each test must delete what it creates:\n  ${sample}`);
    }
  } finally {
    redis.disconnect();
  }
}
