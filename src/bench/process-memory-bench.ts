import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { resolveRedis } from '../infra/local-redis.js';
import { build, isFresh, ROOT } from '../../scripts/build.mjs';
import { takeSseEvents } from '../../test/helpers/sse-events.js';
import { QUESTIONS } from './pipeline-bench.js';

/** process.memoryUsage() in bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface ProcessMemoryResult {
  name: 'lotse' | 'echo';
  conversations: number;
  /** Conversations whose question got a knowledge answer with sources (Lotse) or its reply (echo). */
  answered: number;
  seconds: number;
  /** After start, the process quiet, right after a full garbage collection. */
  idle: MemorySample;
  /** After every conversation finished and the process went quiet, right after a full garbage collection. */
  after: MemorySample;
  /** The highest of each figure while the conversations ran (sampled every 250 ms, no forced collection). */
  peak: MemorySample;
}

export interface ProcessMemoryOptions {
  conversations?: number;
  /** Conversations in flight at once, each with its own event stream (default 32). */
  concurrency?: number;
}

type FromChild = { type: 'ready'; url: string } | { type: 'memory'; sample: MemorySample } | { type: 'stopped' } | { type: 'failed'; error: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The measured process, run by plain node on the compiled app (dist/), as `npm start` runs it: the
 * gateway, the worker and the sender in one process (startLotse, as src/cli/start.ts starts it),
 * told over IPC when to report its memory. For the baseline, the handler is the pipeline bench's
 * echo: one canned reply per message through the same queues and sender.
 */
const CHILD = `
const dist = process.env.BENCH_DIST;
const { loadConfig } = await import(dist + '/config/config.js');
const { createLogger } = await import(dist + '/infra/logger.js');
const { startLotse } = await import(dist + '/main.js');
const echo = (queues) => async (message) => {
  const reply = { id: message.id + ':0', channel: message.channel, userId: message.userId, text: 'ok', language: 'en', direction: 'ltr' };
  await queues.deliver([reply]);
  return { replies: [reply], duplicate: false, erased: false };
};
try {
  const lotse = await startLotse({
    config: loadConfig(process.env),
    logger: createLogger('silent'),
    redisUrl: process.env.REDIS_URL,
    roles: { gateway: true, worker: true, sender: true },
    queuePrefix: process.env.BENCH_QUEUE_PREFIX,
    keyPrefix: process.env.BENCH_KEY_PREFIX,
    handle: process.env.BENCH_NAME === 'echo' ? echo : undefined,
  });
  process.on('message', (message) => {
    if (message.type === 'measure') {
      if (message.gc) {
        globalThis.gc();
        globalThis.gc();
      }
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      process.send({ type: 'memory', sample: { rss, heapUsed, heapTotal, external, arrayBuffers } });
    }
    if (message.type === 'stop') lotse.stop().then(() => { process.send({ type: 'stopped' }); process.disconnect(); });
  });
  process.send({ type: 'ready', url: lotse.url });
} catch (error) {
  process.send({ type: 'failed', error: String(error && error.stack || error) });
  process.exit(1);
}
`;

/** The child process and a way to ask it things. */
class MeasuredProcess {
  private readonly waiting: ((message: FromChild) => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromChild) => this.waiting.shift()?.(message));
  }

  static async start(name: 'lotse' | 'echo', env: NodeJS.ProcessEnv): Promise<{ process: MeasuredProcess; url: string }> {
    // gc() exposed, so that a sample can show what is held rather than what waits to be collected.
    const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], {
      env: { ...env, BENCH_NAME: name, BENCH_DIST: pathToFileURL(path.join(ROOT, 'dist')).href },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const measured = new MeasuredProcess(child);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the ${name} process exited (${code}) before it was ready`))));
    const ready = await Promise.race([measured.next(), exited]);
    if (ready.type !== 'ready') throw new Error(`the ${name} process did not start: ${ready.type === 'failed' ? ready.error : ready.type}`);
    return { process: measured, url: ready.url };
  }

  private next(): Promise<FromChild> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async measure(gc: boolean): Promise<MemorySample> {
    const answer = this.next();
    this.child.send({ type: 'measure', gc });
    const message = await answer;
    if (message.type !== 'memory') throw new Error(`expected a memory sample, got ${message.type}`);
    return message.sample;
  }

  async stop(): Promise<void> {
    const stopped = this.next();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    await Promise.race([stopped, sleep(30_000)]);
    await Promise.race([exited, sleep(5_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

interface ReplyEvent {
  id: string;
  sources?: unknown[];
}

/** One browser: a session cookie, its event stream, and its messages; from its own address (behind the proxy Lotse trusts). */
class WebVisitor {
  private cookie = '';
  private readonly replies: ReplyEvent[] = [];
  private wake?: () => void;
  private request?: http.ClientRequest;

  constructor(
    private readonly url: string,
    private readonly address: string,
  ) {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-forwarded-for': this.address, ...(this.cookie ? { cookie: this.cookie } : {}) };
  }

  async session(): Promise<void> {
    const response = await fetch(`${this.url}/chat/session`, { method: 'POST', headers: this.headers(), body: '{}' });
    const cookie = /lotse_chat=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    if (response.status !== 204 || !cookie) throw new Error(`no session: ${response.status}`);
    this.cookie = `lotse_chat=${cookie}`;
  }

  /** Opens the event stream and resolves once the server accepted it. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.request = http.get(`${this.url}/chat/events`, { headers: this.headers() }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`event stream refused: ${response.statusCode}`));
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          const taken = takeSseEvents(buffer + chunk);
          buffer = taken.rest;
          for (const event of taken.events) if (event.event === 'reply') this.replies.push(JSON.parse(event.data) as ReplyEvent);
          this.wake?.();
        });
        response.on('error', () => undefined);
        resolve();
      });
      this.request.on('error', reject);
    });
  }

  async say(body: { id: string; text: string; action?: string }): Promise<void> {
    const response = await fetch(`${this.url}/chat/messages`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ ...body, lang: 'en' }) });
    if (response.status !== 202) throw new Error(`message refused: ${response.status} ${await response.text()}`);
  }

  /** Waits until `count` replies came in all. */
  async replied(count: number, timeoutMs = 120_000): Promise<ReplyEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} replies, got ${this.replies.length}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 1_000);
      });
    }
    return this.replies;
  }

  close(): void {
    this.request?.destroy();
  }
}

/** A distinct address per visitor in 10.0.0.0/8 (the proxy's X-Forwarded-For), so that the per-IP limits see 10,000 people, not one. */
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/**
 * RSS and heap of one process running `npm start`'s roles (gateway, worker, sender) at idle and
 * after `conversations` web-chat conversations: each a session, its event stream, a question (the
 * privacy notice holds it), "yes" by button, and the answer (offline, with sources). The echo
 * baseline is the same app, the same routes, queues and sender, with a handler that replies "ok".
 */
export async function benchProcessMemory(name: 'lotse' | 'echo', redisUrl: string, dataDir: string, options: ProcessMemoryOptions = {}): Promise<ProcessMemoryResult> {
  const conversations = options.conversations ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const id = `mem-${name}-${Date.now()}`;
  const keyPrefix = `bench-${id}:`;
  const queuePrefix = `bq-${id}`;
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    TRUST_PROXY: '1',
    USER_RATE_LIMIT: '0',
    BENCH_KEY_PREFIX: keyPrefix,
    BENCH_QUEUE_PREFIX: queuePrefix,
  };
  // The app as npm start runs it: compiled, brought up to date first (scripts/run.mjs does the same).
  if (!isFresh()) build({ log: () => undefined });
  const { process: measured, url } = await MeasuredProcess.start(name, env);
  try {
    await sleep(2_000);
    const idle = await measured.measure(true);
    const peak: MemorySample = { ...idle };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sample = await measured.measure(false);
        for (const key of Object.keys(peak) as (keyof MemorySample)[]) peak[key] = Math.max(peak[key], sample[key]);
        await sleep(250);
      }
    })();
    const started = performance.now();
    let next = 0;
    let answered = 0;
    // Lotse: the privacy notice; then "yes" brings the consent note and the held question's answer. The echo replies once to each.
    const expected = name === 'lotse' ? [1, 3] : [1, 2];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < conversations) {
          const n = next++;
          const visitor = new WebVisitor(url, addressOf(n + 1));
          await visitor.session();
          await visitor.listen();
          try {
            await visitor.say({ id: 'q1', text: QUESTIONS[n % QUESTIONS.length]! });
            await visitor.replied(expected[0]!);
            await visitor.say({ id: 'yes', text: '', action: 'choice:yes' });
            const replies = await visitor.replied(expected[1]!);
            const last = replies[replies.length - 1]!;
            if (name === 'echo' || (last.sources?.length ?? 0) > 0) answered += 1;
          } finally {
            visitor.close();
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    // Streams closed, sends done: let the process settle before the sample.
    await sleep(3_000);
    const after = await measured.measure(true);
    return { name, conversations, answered, seconds, idle, after, peak };
  } finally {
    await measured.stop();
    const redis = new Redis(redisUrl);
    for (const pattern of [`${keyPrefix}*`, `${queuePrefix}:*`]) {
      const keys = await redis.keys(pattern);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    await redis.quit();
  }
}

export interface ProcessMemoryBench {
  conversations: number;
  rounds: number;
  runs: ProcessMemoryResult[];
}

/**
 * The `memory` part of `npm run bench`: the echo and Lotse alternating, `rounds` times each, on the
 * Redis Lotse would use (REDIS_URL, a local one, or a private redis-server).
 */
export async function benchMemory(config: Pick<Config, 'dataDir' | 'env'>, conversations = 10_000, rounds = 2, log: (line: string) => void = console.log): Promise<ProcessMemoryBench> {
  const redis = await resolveRedis(config.env.REDIS_URL, config.dataDir);
  const runs: ProcessMemoryResult[] = [];
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of ['echo', 'lotse'] as const) {
        const run = await benchProcessMemory(name, redis.url, config.dataDir, { conversations });
        log(`${name}: ${run.answered}/${run.conversations} in ${run.seconds.toFixed(0)} s; RSS idle ${mb(run.idle.rss)}, after ${mb(run.after.rss)}, peak ${mb(run.peak.rss)}; heap idle ${mb(run.idle.heapUsed)}, after ${mb(run.after.heapUsed)}`);
        runs.push(run);
      }
    }
  } finally {
    await redis.stop();
  }
  return { conversations, rounds, runs };
}

/** The BENCHMARKS.md section of the memory part: medians of the rounds. */
export function processMemorySection({ conversations, rounds, runs }: ProcessMemoryBench): string {
  const median = (name: string, pick: (run: ProcessMemoryResult) => number) => {
    const values = runs.filter((run) => run.name === name).map(pick).sort((a, b) => a - b);
    return values.length % 2 ? values[(values.length - 1) / 2]! : (values[values.length / 2 - 1]! + values[values.length / 2]!) / 2;
  };
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const row = (name: 'lotse' | 'echo', label: string) =>
    `| ${label} | ${mb(median(name, (r) => r.idle.rss))} | ${mb(median(name, (r) => r.idle.heapUsed))} | ${mb(median(name, (r) => r.after.rss))} | ${mb(median(name, (r) => r.after.heapUsed))} | ${mb(median(name, (r) => r.peak.rss))} | ${mb(median(name, (r) => r.peak.heapUsed))} | ${median(name, (r) => r.answered).toLocaleString('en')} | ${median(name, (r) => r.seconds).toFixed(0)} s |`;
  const lotseAfter = median('lotse', (r) => r.after.rss);
  return `## Process memory

Command: \`npm run bench -- --part memory\` (\`--conversations ${conversations}\`). Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; Redis on the same machine.
One process as \`npm start\` runs it: the compiled app (dist/) under plain node, gateway, worker and sender together. ${conversations.toLocaleString('en')} web-chat
conversations, 32 at a time, each from its own address (X-Forwarded-For, \`TRUST_PROXY=1\`): a session, its event stream, a question (held by the
privacy notice), "yes" by button, and the answer (offline, with sources), then the stream closes. The baseline in the same run is the same app
with the pipeline's handler replaced by the pipeline benchmark's echo (one "ok" per message through the same routes, queues and sender).
Idle: after start, the process quiet. After: every conversation finished, the process quiet. Both right after a full garbage collection
(\`--expose-gc\`), so they show what is held; peak: the highest RSS and heap seen while the conversations ran, sampled every 250 ms, without
forcing a collection. ${rounds} alternating rounds; medians.

| run | RSS idle | heap idle | RSS after | heap after | RSS peak | heap peak | answered | time |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${row('lotse', 'Lotse, whole pipeline')}
${row('echo', 'echo, same app')}

After ${conversations.toLocaleString('en')} conversations Lotse holds ${mb(lotseAfter)} RSS (target: under 250 MB); ${mb(lotseAfter - median('echo', (r) => r.after.rss))} more than the echo,
which loads the same knowledge index and models but answers nothing. Web sessions leave nothing in the process once their stream is closed (the rate limits count in Redis).`;
}
