import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const moduleUrl = (file: string) => JSON.stringify(pathToFileURL(path.join(ROOT, file)).href);

/** A hanging stop: whatever is asked, this "service" never finishes stopping by itself. */
const HANGING = `
const { stopRequested } = await import(${moduleUrl('src/cli/run-cli.ts')});
stopRequested({ timeoutMs: 1500, repeatWindowMs: 500 }).then((signal) => console.log('stopping on ' + signal));
setInterval(() => undefined, 1000);
console.log('ready');
`;

/** A service that stops at once when asked. */
const ORPHAN = `
const { runCli, stopRequested } = await import(${moduleUrl('src/cli/run-cli.ts')});
runCli(async () => {
  const stop = stopRequested({ timeoutMs: 5000 });
  const alive = setInterval(() => undefined, 1000);
  console.log('ready ' + process.pid);
  console.log('stopping on ' + (await stop));
  clearInterval(alive);
});
`;

/** A private redis-server, then SIGINT to this process group (Ctrl+C), then a forced exit that skips stop(). */
const PRIVATE_REDIS = `
const { stopRequested } = await import(${moduleUrl('src/cli/run-cli.ts')});
const { resolveRedis } = await import(${moduleUrl('src/infra/local-redis.ts')});
const stop = stopRequested({ timeoutMs: 5000 });
const redis = await resolveRedis(undefined, process.argv[2], 'redis://127.0.0.1:1');
console.log('ready ' + redis.pid);
await stop;
// A graceful stop takes a while; Redis must still be there at its end. resolveRedis(url) throws unless it answers.
await new Promise((resolve) => setTimeout(resolve, 500));
console.log('redis after Ctrl+C: ' + (await resolveRedis(redis.url, process.argv[2])).source);
process.exit(1);
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-process-signals-'));
  await writeFile(path.join(dir, 'hanging.mjs'), HANGING);
  await writeFile(path.join(dir, 'orphan.mjs'), ORPHAN);
  await writeFile(path.join(dir, 'private-redis.mjs'), PRIVATE_REDIS);
});
/** Processes this file started: whatever a failing test leaves, nothing outlives the file. */
const started: number[] = [];
afterAll(async () => {
  for (const pid of started) {
    // Only if that id still belongs to one of ours (its command line or working folder is under
    // this file's temp folder): a process id is reused once its process is gone.
    const ours = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readlink(`/proc/${pid}/cwd`)]).then(
      (facts) => facts.some((fact) => fact.includes(dir)),
      () => false,
    );
    if (ours) process.kill(pid, 'SIGKILL');
  }
  await rm(dir, { recursive: true, force: true });
});

/** Runs `node --import tsx` (as the npm scripts do) on a script; resolves its output when a line matches. */
function start(script: string, args: string[] = []) {
  const child = spawn('node', ['--import', 'tsx', path.join(dir, script), ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
    const since = Date.now();
    child.once('exit', (code) => resolve({ code, ms: Date.now() - since }));
  });
  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) resolve(match);
        else if (child.exitCode !== null) reject(new Error(`exited first: ${stdout}${stderr}`));
        else setTimeout(check, 50);
      };
      check();
    });
  return { child, exited, line, output: () => stdout + stderr };
}

/** Whether a process is alive (a zombie is dead, only not yet reaped). */
async function alive(pid: number): Promise<boolean> {
  const { stdout } = await run('ps', ['-o', 'stat=', '-p', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.trim() !== '' && !stdout.trim().startsWith('Z');
}

describe('stopping a service', () => {
  it('takes the same signal twice in a row as one request, and exits with 1 after the shutdown bound', async () => {
    const service = start('hanging.mjs');
    await service.line(/ready/);
    service.child.kill('SIGTERM');
    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output()).toContain('stopping on SIGTERM');
    expect(service.output()).toContain('did not stop within 1.5 s of SIGTERM');
  });

  it('exits at once on a second signal, with 128 + its number', async () => {
    const service = start('hanging.mjs');
    await service.line(/ready/);
    service.child.kill('SIGINT');
    await service.line(/stopping on SIGINT/);
    await new Promise((resolve) => setTimeout(resolve, 700));
    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(143);
    expect(service.output()).toContain('SIGTERM again: exiting without waiting');
  });

  it('stops gracefully when the process that started it goes away', async () => {
    // A shell starts the service in the background, waits until it runs, and exits: the service
    // is re-parented, as under an npm killed with SIGKILL. Its output goes to a file, which outlives both.
    const out = path.join(dir, 'orphan.out');
    const script = JSON.stringify(path.join(dir, 'orphan.mjs'));
    const shell = spawn('sh', ['-c', `node --import tsx ${script} > ${JSON.stringify(out)} 2>&1 & until grep -q ready ${JSON.stringify(out)} 2>/dev/null; do sleep 0.1; done`], { cwd: ROOT, stdio: 'ignore' });
    await new Promise((resolve) => shell.once('exit', resolve));
    const output = () => readFile(out, 'utf8');
    const pid = Number((await output()).match(/ready (\d+)/)![1]);
    started.push(pid);
    const until = Date.now() + 10_000;
    while ((await alive(pid)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alive(pid)).toBe(false);
    expect(await output()).toContain('stopping on SIGTERM');
  });
});

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasRedisServer)('the private redis-server', () => {
  it('keeps answering after Ctrl+C until Lotse is done, and does not outlive a forced exit', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'data-'));
    const service = start('private-redis.mjs', [dataDir]);
    const pid = Number((await service.line(/ready (\d+)/))[1]);
    started.push(pid);
    expect(await alive(pid)).toBe(true);
    process.kill(-service.child.pid!, 'SIGINT');
    expect((await service.exited).code).toBe(1);
    expect(service.output()).toContain('redis after Ctrl+C: REDIS_URL');
    const until = Date.now() + 5_000;
    while ((await alive(pid)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alive(pid)).toBe(false);
  });
});
