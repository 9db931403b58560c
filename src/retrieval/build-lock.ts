import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LotseError } from '../core/errors.js';

/**
 * A lock file beside the index (data/index.lock), taken with O_EXCL, so that of several workers
 * starting on one data volume one builds the index and the others wait, then load it.
 *
 * A file rather than Redis: the race is over a folder, and the lock lives on the same volume as
 * that folder, so exactly the processes that share it are serialised (workers with their own
 * disks build their own, as they must); `npm run index` and the CLIs need no Redis either.
 * O_EXCL is atomic on local filesystems and on NFSv3+.
 */

export interface BuildLockOptions {
  /** A lock not refreshed for this long belongs to a process that died; it is taken over (default 2 min). */
  staleMs?: number;
  /** How long to wait for another process's build before giving up (default 15 min). */
  waitMs?: number;
  /** Pause between attempts, jittered (default 200 ms). */
  pollMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

interface LockState {
  token: string;
  ino: number;
  mtimeMs: number;
  pid?: number;
  host?: string;
}

/** The lock file of an index folder: beside it, since the folder itself is swapped. */
export function indexLockPath(indexDir: string): string {
  return `${path.resolve(indexDir)}.lock`;
}

/** Runs `work` holding the lock; waits while another process holds it. */
export async function withBuildLock<T>(lockPath: string, work: () => Promise<T>, options: BuildLockOptions = {}): Promise<T> {
  const lock = await acquireBuildLock(lockPath, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

export async function acquireBuildLock(lockPath: string, options: BuildLockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 120_000;
  const waitMs = options.waitMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 200;
  const token = `${process.pid}-${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + waitMs;
  await mkdir(path.dirname(lockPath), { recursive: true });
  for (;;) {
    if (await tryCreate(lockPath, token)) return held(lockPath, token, staleMs);
    await breakIfStale(lockPath, staleMs);
    if (Date.now() > deadline) {
      throw new LotseError('INDEX_MISSING', `Waited ${Math.round(waitMs / 1000)} s for another process to build the knowledge index.`, {
        hint: `if no Lotse process is building it, delete ${lockPath} and start again`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs * (0.5 + Math.random())));
  }
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ token, pid: process.pid, host: os.hostname(), at: new Date().toISOString() }));
  } catch (error) {
    await handle.close();
    await rm(lockPath, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

function held(lockPath: string, token: string, staleMs: number): HeldLock {
  // The holder refreshes the file's time, so a long build is not taken for a dead one.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(50, Math.floor(staleMs / 4)));
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      // Only our own lock: had it been taken over, the file is someone else's now.
      if ((await inspect(lockPath))?.token === token) await rm(lockPath, { force: true });
    },
  };
}

async function inspect(file: string): Promise<LockState | undefined> {
  try {
    const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
    let content: { token?: unknown; pid?: unknown; host?: unknown } = {};
    try {
      content = JSON.parse(text) as typeof content;
    } catch {
      // Created but not written yet, or cut short by a crash: only its age can tell.
    }
    return {
      token: typeof content.token === 'string' ? content.token : '',
      ino: info.ino,
      mtimeMs: info.mtimeMs,
      pid: typeof content.pid === 'number' ? content.pid : undefined,
      host: typeof content.host === 'string' ? content.host : undefined,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(lock: LockState, staleMs: number): boolean {
  if (Date.now() - lock.mtimeMs > staleMs) return true;
  // On this machine a dead holder is known at once. Our own pid proves nothing: another call in
  // this process may hold it.
  if (lock.host === os.hostname() && lock.pid !== undefined && lock.pid !== process.pid) {
    try {
      process.kill(lock.pid, 0);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return false;
}

/** Removes a dead holder's lock. Moved aside first, so that of two waiters only one removes it. */
async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  const seen = await inspect(lockPath);
  if (!seen || !isStale(seen, staleMs)) return;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // another waiter moved it first
  }
  const moved = await inspect(aside);
  if (moved && (moved.ino !== seen.ino || moved.token !== seen.token)) {
    // Between our look and the move, someone took a fresh lock: put it back (unless yet another exists).
    await link(aside, lockPath).catch(() => undefined);
  }
  await rm(aside, { force: true });
}
