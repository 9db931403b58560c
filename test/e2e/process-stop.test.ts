import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/infra/free-port.js';

const run = promisify(execFile);

/**
 * Lotse started this way uses its default key prefixes (`lotse:`, `bull:`); a spare database of
 * the test Redis keeps them apart from everything else, and is flushed after the tests.
 */
const DB = 13;
function redisUrl(): string {
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${DB}`;
  return url.toString();
}


/** Processes of a process group that are still alive (zombies are dead, only not yet reaped by init). */
async function aliveInGroup(pgid: number): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,pgid=,stat=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.join(' '));
}

/** Whatever went wrong, nothing of a test's process group may outlive it (checked first: a gone group's id may be reused). */
async function killGroup(pgid: number): Promise<void> {
  if ((await aliveInGroup(pgid)).length > 0) process.kill(-pgid, 'SIGKILL');
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

interface Started {
  npm: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm <args>` as a user runs it, in its own process group (the test finds what is left of it by that group). */
async function npm(args: string[], dataDir: string): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl(), DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  // No platform or LLM from the developer's environment: the test needs no network.
  for (const name of Object.keys(env)) if (/^(TELEGRAM_|OPENAI_|SLACK_|WHATSAPP_|TRANSCRIPTION_)/.test(name)) delete env[name];
  const child = spawn('npm', args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const ready = await waitFor(async () => child.exitCode !== null || (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40_000);
  if (!ready || child.exitCode !== null) {
    await killGroup(child.pid!);
    throw new Error(`npm ${args.join(' ')} did not get ready:\n${output}`);
  }
  return { npm: child, base, output: () => output, exited };
}

let dataDir: string;

beforeAll(async () => {
  // The prebuilt index of the global setup, so that start-up does not build one.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-process-stop-'));
  await symlink(inject('indexDir'), path.join(dataDir, 'index'), 'dir');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  const redis = new Redis(redisUrl());
  await redis.flushdb();
  redis.disconnect();
});

describe.each([
  { name: 'npm start', script: ['start'], signal: 'SIGTERM' as const },
  { name: 'npm start', script: ['start'], signal: 'SIGINT' as const },
  { name: 'npm run gateway', script: ['run', 'gateway'], signal: 'SIGTERM' as const },
])('$name, then $signal to the npm process', ({ script, signal }) => {
  it('stops gracefully and leaves no process behind', async () => {
    const lotse = await npm(script, dataDir);
    const pgid = lotse.npm.pid!;
    try {
      if (script[0] === 'start') {
        expect(lotse.output()).toContain(`Web chat: ${lotse.base}/chat`);
        expect(lotse.output()).toContain(`metrics: ${lotse.base}/metrics (no token: set METRICS_TOKEN`);
        const chat = await fetch(`${lotse.base}/chat`);
        expect(chat.status).toBe(200);
        expect(chat.headers.get('content-type')).toContain('text/html');
      }
      // npm runs the compiled entry point through the launcher (scripts/run.mjs), in the same process group.
      expect((await aliveInGroup(pgid)).some((line) => /node .*scripts\/run\.mjs cli\//.test(line))).toBe(true);

      lotse.npm.kill(signal);
      expect(await Promise.race([lotse.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))])).toBe(0);
      expect(await answers(`${lotse.base}/healthz`)).toBe(false);
      expect(await waitFor(async () => (await aliveInGroup(pgid)).length === 0, 5_000)).toBe(true);
      expect(lotse.output()).toContain(`${signal}: stopping`);
      expect(lotse.output()).toContain('Lotse stopped.');
    } finally {
      await killGroup(pgid);
    }
  });
});

describe('Ctrl+C under npm start (SIGINT to the whole process group: the terminal and npm both deliver it)', () => {
  it('counts the double delivery as one request and stops gracefully', async () => {
    const lotse = await npm(['start'], dataDir);
    const pgid = lotse.npm.pid!;
    try {
      process.kill(-pgid, 'SIGINT');
      expect(await Promise.race([lotse.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))])).toBe(0);
      expect(lotse.output()).toContain('Lotse stopped.');
      expect(lotse.output()).not.toContain('again: exiting without waiting');
      expect(await waitFor(async () => (await aliveInGroup(pgid)).length === 0, 5_000)).toBe(true);
    } finally {
      await killGroup(pgid);
    }
  });
});
