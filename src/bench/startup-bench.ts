import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../infra/free-port.js';
import { quantile } from './stats.js';

/**
 * Start-up of the commands people run, each a fresh process, as a user runs them: `npm start` until
 * /readyz answers 200, and `npm run ask -- "…"` until it has printed its answer and exited. The
 * compiled way (npm → scripts/run.mjs → dist/, what Lotse does now) against the baseline of the
 * same commands run the old way, `node --import tsx` on the sources, also through npm (a package of
 * its own whose scripts are the old ones, run from the same folder), on the same sources, in the
 * same run, alternating.
 *
 * Everything runs in a sandbox: a copy of the repository with its own dist/ and its own
 * node_modules/.cache (the packages are symlinks to the real ones), its own DATA_DIR with the
 * knowledge index built once, its own temporary folder (tsx keeps its transpile cache there), a
 * private redis-server. So the runs neither use nor disturb the repository's caches.
 *
 * Warm: every cache in place (dist/, the trained models, eld's subset, tsx's cache). First run:
 * what a fresh clone's first start meets after `npm ci`, with the index already built (it lives in
 * DATA_DIR and is built on first start alike both ways): the old way has no tsx cache and no trained
 * models (it trains them on its way up); now `npm ci`'s prepare has built dist/ and made the caches,
 * so the install step is timed on its own.
 */
export interface StartupSample {
  way: 'tsx' | 'compiled';
  what: 'start' | 'ask' | 'start-node' | 'ask-node';
  phase: 'warm' | 'first';
  ms: number;
}

export interface StartupResult {
  question: string;
  warmRounds: number;
  firstRounds: number;
  samples: StartupSample[];
  /** `npm ci`'s prepare, timed in the sandbox: compiling src/ from nothing, then making the caches. */
  install: { buildMs: number[]; cachesMs: number[] };
}

export interface StartupBenchOptions {
  root?: string;
  question?: string;
  /** Alternating rounds with every cache warm (default 5). */
  warmRounds?: number;
  /** First-run rounds (default 1: each trains the models on the old way's side, about half a minute). */
  firstRounds?: number;
  log?: (line: string) => void;
}

const QUESTION = 'What is the Opportunity Card?';
/** What the sandbox copies of the repository: what `npm start` and `npm run ask` read. */
const COPIED = ['package.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'workers', 'knowledge', 'prompts'];

interface Sandbox {
  dir: string;
  baseline: string;
  dataDir: string;
  cacheDir: string;
  redisUrl: string;
  redis: ChildProcess;
  tmp: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return performance.now() - started;
}

/** The environment of every run: the sandbox's data, Redis and temporary folder; no platform, LLM or Slack from the caller's. */
function childEnv(box: Sandbox, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: box.dataDir, REDIS_URL: box.redisUrl, HOST: '127.0.0.1', LOG_LEVEL: 'warn', TMPDIR: box.tmp, NO_COLOR: '1', ...extra };
  for (const name of Object.keys(env)) if (/^(TELEGRAM_|OPENAI_|SLACK_|WHATSAPP_|TRANSCRIPTION_|EMBEDDINGS|npm_)/.test(name)) delete env[name];
  return env;
}

async function makeSandbox(root: string, log: (line: string) => void): Promise<Sandbox> {
  const dir = path.join(os.tmpdir(), `lotse-startup-${process.pid}-${Date.now()}`);
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  for (const name of COPIED) if (existsSync(path.join(root, name))) cpSync(path.join(root, name), path.join(dir, name), { recursive: true });
  // The packages themselves are shared (symlinks); the cache folder is the sandbox's own.
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(path.join(root, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  const baseline = path.join(dir, 'baseline');
  mkdirSync(baseline);
  const old = (file: string) => `cd ${JSON.stringify(dir)} && exec node --import tsx ${file}`;
  writeFileSync(
    path.join(baseline, 'package.json'),
    JSON.stringify({ name: 'lotse-baseline', private: true, scripts: { start: old('src/cli/start.ts'), ask: old('src/cli/ask.ts') } }, null, 2),
  );
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const box: Sandbox = { dir, baseline, dataDir: path.join(dir, 'data'), cacheDir: path.join(dir, 'node_modules', '.cache', 'lotse'), redisUrl: `redis://127.0.0.1:${port}`, redis, tmp: path.join(dir, 'tmp') };
  mkdirSync(box.tmp);
  log(`sandbox ${dir}: building dist/ and the knowledge index`);
  run(process.execPath, ['scripts/build.mjs'], dir, childEnv(box));
  run(process.execPath, ['dist/cli/index-knowledge.js'], dir, childEnv(box));
  return box;
}

/** Milliseconds from spawning `command` until its /readyz answers 200; the process group is then stopped (not counted). */
async function timeStart(box: Sandbox, cwd: string, command: string, args: string[], timeoutMs = 240_000): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: childEnv(box, { PORT: String(port) }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ms: number | undefined;
  try {
    while (ms === undefined) {
      if (child.exitCode !== null || performance.now() - started > timeoutMs) throw new Error(`${command} ${args.join(' ')} did not get ready:\n${output}`);
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) ms = performance.now() - started;
      else await sleep(10);
    }
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone already
    }
    await Promise.race([exited, sleep(20_000)]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // stopped
    }
  }
  return ms;
}

/** Milliseconds from spawning `command` until it exits, having printed an answer. */
async function timeAsk(box: Sandbox, cwd: string, command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: childEnv(box), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const ms = performance.now() - started;
  if (code !== 0 || out.trim() === '') throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${out}${err}`);
  return ms;
}

export async function benchStartup(options: StartupBenchOptions = {}): Promise<StartupResult> {
  const root = options.root ?? process.cwd();
  const question = options.question ?? QUESTION;
  const warmRounds = options.warmRounds ?? 5;
  const firstRounds = options.firstRounds ?? 1;
  const log = options.log ?? ((line: string) => console.log(line));
  const box = await makeSandbox(root, log);
  const samples: StartupSample[] = [];
  const install = { buildMs: [] as number[], cachesMs: [] as number[] };
  const record = (sample: StartupSample) => {
    samples.push(sample);
    log(`${sample.phase} ${sample.way} ${sample.what}: ${(sample.ms / 1000).toFixed(2)} s`);
  };
  const commands = {
    tsx: {
      start: () => timeStart(box, box.baseline, 'npm', ['start']),
      ask: () => timeAsk(box, box.baseline, 'npm', ['run', 'ask', '--', question]),
      'start-node': () => timeStart(box, box.dir, process.execPath, ['--import', 'tsx', 'src/cli/start.ts']),
      'ask-node': () => timeAsk(box, box.dir, process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', question]),
    },
    compiled: {
      start: () => timeStart(box, box.dir, 'npm', ['start']),
      ask: () => timeAsk(box, box.dir, 'npm', ['run', 'ask', '--', question]),
      'start-node': () => timeStart(box, box.dir, process.execPath, ['dist/cli/start.js']),
      'ask-node': () => timeAsk(box, box.dir, process.execPath, ['dist/cli/ask.js', question]),
    },
  } as const;
  const fresh = () => {
    rmSync(box.cacheDir, { recursive: true, force: true });
    rmSync(box.tmp, { recursive: true, force: true });
    mkdirSync(box.tmp);
  };
  try {
    // First runs: the old way meets no cache at all; now, npm ci's prepare (timed) has run first.
    for (let round = 0; round < firstRounds; round++) {
      for (const what of ['start', 'ask'] as const) {
        fresh();
        record({ way: 'tsx', what, phase: 'first', ms: await commands.tsx[what]() });
        fresh();
        install.buildMs.push(run(process.execPath, ['scripts/build.mjs', '--clean'], box.dir, childEnv(box)));
        install.cachesMs.push(run(process.execPath, ['dist/cli/warm-caches.js'], box.dir, childEnv(box)));
        record({ way: 'compiled', what, phase: 'first', ms: await commands.compiled[what]() });
      }
    }
    // Warm: one uncounted run of each, then alternating rounds.
    for (const way of ['tsx', 'compiled'] as const) for (const what of ['start', 'ask'] as const) await commands[way][what]();
    for (let round = 0; round < warmRounds; round++) {
      for (const what of ['start', 'ask', 'start-node', 'ask-node'] as const) {
        for (const way of round % 2 === 0 ? (['tsx', 'compiled'] as const) : (['compiled', 'tsx'] as const)) {
          record({ way, what, phase: 'warm', ms: await commands[way][what]() });
        }
      }
    }
  } finally {
    box.redis.kill('SIGTERM');
    rmSync(box.dir, { recursive: true, force: true });
  }
  return { question, warmRounds, firstRounds, samples, install };
}

/** The median of the samples of one command, way and phase (NaN when there are none). */
export function startupMedian(result: StartupResult, way: StartupSample['way'], what: StartupSample['what'], phase: StartupSample['phase']): number {
  return quantile(result.samples.filter((s) => s.way === way && s.what === what && s.phase === phase).map((s) => s.ms), 0.5);
}

export const seconds = (ms: number) => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);

/** The BENCHMARKS.md section of a run. */
export function startupSection(result: StartupResult): string {
  const m = (way: StartupSample['way'], what: StartupSample['what'], phase: StartupSample['phase']) => startupMedian(result, way, what, phase);
  const row = (label: string, what: StartupSample['what'], phase: StartupSample['phase']) => {
    const before = m('tsx', what, phase);
    const now = m('compiled', what, phase);
    return `| ${label} | ${seconds(before)} | ${seconds(now)} | ${Number.isNaN(before) ? '–' : `${(before / now).toFixed(1)}×`} |`;
  };
  const install = (values: number[]) => seconds(quantile(values, 0.5));
  return `## Start-up

Command: \`npm run bench -- --part startup\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; a private redis-server on the same machine.
Each figure is a fresh process, timed from spawning the command: \`npm start\` until \`/readyz\` answers 200 (the web chat, the
worker with the knowledge index loaded, the sender), and \`npm run ask -- "${result.question}"\` until it has printed the answer and
exited; offline configuration (no LLM, no platform tokens). Baseline in the same run, on the same sources: the same commands the old
way, \`node --import tsx\` on the TypeScript sources, also through npm. Now: npm runs scripts/run.mjs, which checks that dist/ is
up to date with src/ and runs the compiled dist/cli/*.js with node alone. Both in a sandbox copy of the repository (its own dist/,
caches, DATA_DIR and temporary folder). Warm: every cache in place (trained models, eld's language subset, tsx's transpile cache);
one uncounted run of each, then ${result.warmRounds} alternating rounds; medians. First run: with the knowledge index built (it lives
in DATA_DIR and is built on the very first start, alike both ways) but no other cache, as a fresh clone after \`npm ci\`: the old way
then transpiles every file and trains the safety screen and the scope model on its way up; now \`npm ci\` has already built dist/
and made those caches (its \`prepare\` step, timed below). ${result.firstRounds === 1 ? 'One first run of each' : `${result.firstRounds} first runs of each; medians`}.

| command | before: tsx on the sources | now: compiled | speed-up |
|---|---:|---:|---:|
${row('`npm start` → /readyz, warm', 'start', 'warm')}
${row('`npm run ask`, warm', 'ask', 'warm')}
${row('`node` alone → /readyz, warm (no npm; Docker\'s way)', 'start-node', 'warm')}
${row('`node` alone, ask, warm', 'ask-node', 'warm')}
${row('`npm start` → /readyz, first run', 'start', 'first')}
${row('`npm run ask`, first run', 'ask', 'first')}

Install (\`npm ci\`'s prepare, now): compiling src/ to dist/ from nothing ${install(result.install.buildMs)}, then training the models and
making eld's language subset ${install(result.install.cachesMs)}, work the old way did at the first start instead. Target: \`npm start\`
and \`npm run ask\` each under 2 s on this machine.`;
}
