import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { acquireBuildLock, indexLockPath } from '../../../src/retrieval/build-lock.js';
import { buildIndex } from '../../../src/retrieval/index-builder.js';
import { KnowledgeIndex } from '../../../src/retrieval/knowledge-index.js';
import { LocalEmbeddings } from '../../../src/retrieval/local-embeddings.js';
import { openKnowledge } from '../../../src/retrieval/open-knowledge.js';
import { frontMatter, knowledgeFolder } from '../../helpers/knowledge-fixture.js';

const local = new LocalEmbeddings();
const embedder = { embeddings: local, id: local.id };
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** An empty data folder beside a small knowledge folder. */
async function setup(): Promise<Pick<Config, 'knowledgeDir' | 'indexDir' | 'embeddings'> & { dataDir: string }> {
  const knowledgeDir = await knowledgeFolder({
    'en/points.md': frontMatter({ id: 'points', title: 'Opportunity Card points' }) + '\n## Points needed\nYou need at least 6 points.\n\n## Age\nUnder 35 gives 2 points.\n',
    'en/salary.md': frontMatter({ id: 'salary', title: 'Blue Card salary' }) + '\n## Salary\nThe threshold is 48300 euros.\n',
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-data-'));
  dirs.push(knowledgeDir, dataDir);
  return { knowledgeDir, dataDir, indexDir: path.join(dataDir, 'index'), embeddings: { kind: 'local' } };
}

/** What is left beside the index: only the index itself, no lock, no staging or old folders. */
const leftovers = async (dataDir: string) => (await readdir(dataDir)).filter((name) => name !== 'index');

describe('the knowledge index is built once', () => {
  it('of several concurrent openKnowledge calls on an empty data folder, one builds and all load the same index', async () => {
    const config = await setup();
    const opened = await Promise.all(Array.from({ length: 6 }, () => openKnowledge(config)));
    expect(opened.filter((o) => o.built)).toHaveLength(1);
    expect(new Set(opened.map((o) => o.index.manifest.builtAt)).size).toBe(1);
    expect(opened.every((o) => o.index.chunks.length === 3)).toBe(true);
    expect(await leftovers(config.dataDir)).toEqual([]);
  });

  it('of several processes starting together on an empty data folder, one builds and all load the same index', async () => {
    const config = await setup();
    const child = fileURLToPath(new URL('./open-knowledge-child.ts', import.meta.url));
    // Started together, then released at one moment: every process finds the index missing at once.
    const startAt = Date.now() + 4_000;
    const run = () =>
      new Promise<{ built: boolean; builtAt: string; chunks: number }>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child], {
          env: { ...process.env, CHILD_DATA_DIR: config.dataDir, CHILD_KNOWLEDGE_DIR: config.knowledgeDir, START_AT: String(startAt) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        proc.stdout.on('data', (chunk) => (out += String(chunk)));
        proc.stderr.on('data', (chunk) => (err += String(chunk)));
        proc.on('error', reject);
        proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as { built: boolean; builtAt: string; chunks: number }) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.filter((r) => r.built)).toHaveLength(1);
    expect(new Set(results.map((r) => r.builtAt)).size).toBe(1);
    expect(results.every((r) => r.chunks === 3)).toBe(true);
    expect(await leftovers(config.dataDir)).toEqual([]);
  }, 30_000);

  it('waits while another process holds the lock, then loads what that one built', async () => {
    const config = await setup();
    const lock = await acquireBuildLock(indexLockPath(config.indexDir));
    let settled = false;
    const waiting = openKnowledge(config).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(settled).toBe(false);
    await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder, lockHeld: true });
    await lock.release();
    const opened = await waiting;
    expect(opened.built).toBeUndefined();
    expect(opened.index.chunks).toHaveLength(3);
  });

  it('takes over the lock of a process that died', async () => {
    const config = await setup();
    const lockPath = indexLockPath(config.indexDir);
    // Left by a process on another machine that stopped refreshing it long ago.
    await writeFile(lockPath, JSON.stringify({ token: 'gone', pid: 1, host: 'elsewhere' }));
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(lockPath, longAgo, longAgo);
    const started = Date.now();
    expect((await openKnowledge(config)).built).toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    // Left just now by a process of this machine that is no longer running.
    await rm(config.indexDir, { recursive: true });
    await writeFile(lockPath, JSON.stringify({ token: 'gone', pid: 2 ** 22 + 12345, host: os.hostname() }));
    expect((await openKnowledge(config, { lock: { staleMs: 60_000 } })).built).toBeDefined();
    expect(await leftovers(config.dataDir)).toEqual([]);
  });

  it('cleans up its staging folder and the lock when a build fails, and keeps the previous index', async () => {
    const config = await setup();
    await buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder });
    // A crash earlier left a staging folder behind.
    await mkdir(`${config.indexDir}.tmp-99999-dead`, { recursive: true });
    let call = 0;
    const broken = {
      id: local.id,
      embeddings: Object.assign(Object.create(local) as LocalEmbeddings, {
        // Vectors of two lengths: the vector index refuses them after the staging folder exists.
        embedDocuments: async (texts: string[]) => texts.map(() => new Array(++call % 2 ? 8 : 16).fill(0.1)),
      }),
    };
    await expect(buildIndex({ knowledgeDir: config.knowledgeDir, indexDir: config.indexDir, embedder: broken, force: true })).rejects.toThrow();
    expect(await leftovers(config.dataDir)).toEqual([]);
    expect((await KnowledgeIndex.load(config.indexDir, embedder)).chunks).toHaveLength(3);
  });
});
