import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../src/infra/free-port.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LocalRedisCluster {
  /** A node's URL: REDIS_URL as a deployment would give it (the others are learnt from it). */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let hooked = false;

/** Backstop: servers still running when this process exits (a crashed run) get SIGKILL. */
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const server of running) server.kill('SIGKILL');
  });
}

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`local Redis Cluster: ${what} within ${ms} ms`);
    await sleep(100);
  }
}

async function ask<T>(port: number, question: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await question(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * A Redis Cluster of `masters` masters (no replicas) on free loopback ports, in a temp folder, for
 * one test file: each redis-server with cluster mode on (its bus on a free port of its own), joined
 * by `redis-cli --cluster create`, ready once every node reports `cluster_state:ok`. `stop()` ends
 * the servers and removes the folder.
 */
export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-redis-cluster-'));
  const servers: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(
      servers.map(async (server) => {
        if (server.exitCode !== null || server.signalCode !== null) return;
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await Promise.race([exited, sleep(5_000).then(() => server.kill('SIGKILL'))]);
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = path.join(dir, String(port));
      await mkdir(nodeDir);
      const server = spawn(
        'redis-server',
        ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--dir', nodeDir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
        { stdio: 'ignore' },
      );
      killOnExit(server);
      servers.push(server);
      ports.push(port);
    }
    for (const port of ports) await until(async () => (await ask(port, (redis) => redis.ping())) === 'PONG', 10_000, `redis-server on ${port} did not answer`);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (const port of ports) {
      await until(async () => /cluster_state:ok/.test(await ask(port, (redis) => redis.cluster('INFO') as Promise<string>)), 20_000, `node ${port} did not report cluster_state:ok`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${ports[0]}`, ports, stop };
}
