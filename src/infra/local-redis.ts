import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { LotseError } from '../core/errors.js';
import { freePort } from './free-port.js';

export interface ResolvedRedis {
  url: string;
  /** How it was found, for the start-up banner. */
  source: 'REDIS_URL' | 'local' | 'private';
  /** The private redis-server's process id. */
  pid?: number;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}


/**
 * The Redis Lotse uses: REDIS_URL when set; else one on 127.0.0.1:6379; else a private
 * redis-server under data/redis (append-only file on, so queued messages survive a restart),
 * stopped when Lotse stops, after Lotse's own graceful stop.
 */
export async function resolveRedis(redisUrl: string | undefined, dataDir: string, local = 'redis://127.0.0.1:6379'): Promise<ResolvedRedis> {
  if (redisUrl) {
    if (!(await answers(redisUrl))) {
      throw new LotseError('CONFIG_INVALID', `REDIS_URL=${redisUrl.replace(/\/\/[^@]*@/, '//***@')} does not answer.`, {
        hint: 'start that Redis, correct REDIS_URL, or unset it to let Lotse use a local or private one',
      });
    }
    return { url: redisUrl, source: 'REDIS_URL', stop: async () => undefined };
  }
  if (await answers(local)) return { url: local, source: 'local', stop: async () => undefined };

  const dir = path.join(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess;
  try {
    // detached: its own process group, so that Ctrl+C in the terminal does not stop Redis while
    // Lotse is still finishing in-flight messages; stop() ends it once Lotse has stopped.
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'], {
      stdio: 'ignore',
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
  } catch (error) {
    throw new LotseError('CONFIG_INVALID', 'No Redis answers on 127.0.0.1:6379, REDIS_URL is not set, and redis-server is not installed.', {
      hint: 'install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), or set REDIS_URL, or run `docker compose up`',
      cause: error,
    });
  }
  // A forced exit (second signal, shutdown timeout, crash) skips stop(): Redis still gets its
  // SIGTERM (it flushes the append-only file and exits) instead of outliving Lotse.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!(await answers(url))) {
    process.removeListener('exit', killOnExit);
    child.kill();
    throw new LotseError('CONFIG_INVALID', `The private redis-server under ${dir} did not start.`, { hint: `run redis-server --dir ${dir} by hand to see why` });
  }
  return {
    url,
    source: 'private',
    pid: child.pid,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
