import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../infra/logger.js';
import { freePort } from '../infra/free-port.js';
import { startLotse } from '../main.js';
import { FakeTelegramServer } from '../../test/helpers/fake-telegram-server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The baseline: Lotse as it was before its Redis was trimmed and made to work on a cluster (the
 * last commit before that change). Its sources are taken out of git into a temp folder and run in
 * this process, against a Redis of its own, with exactly the same load.
 */
export const BASELINE_REVISION = '31c0700';

const QUESTIONS = [
  'How many points do I need for the Opportunity Card?',
  'What salary do I need for the EU Blue Card in 2026?',
  'How do I get my diploma recognised in Germany?',
  'What German level do I need for vocational training in Germany?',
  'Can I work full time while I am looking for a job on the opportunity card?',
];

export interface MemoryRun {
  label: string;
  conversations: number;
  /** used_memory (INFO memory) with Lotse started, before the first message. */
  before: number;
  /** Once every reply was sent (and a second more). */
  answered: number;
  /** After `settleSeconds` more: sweeps done, flood counters expired, nothing left in any queue. */
  settled: number;
  keysAnswered: number;
  keysSettled: number;
  /** Bytes per conversation (MEMORY USAGE, summed) by kind of key, once settled. */
  families: { family: string; keys: number; bytes: number }[];
  seconds: number;
  redisVersion: string;
}

export interface RedisMemoryResult {
  baseline: MemoryRun;
  current: MemoryRun;
  settleSeconds: number;
}

/** A private redis-server as production runs it (noeviction), without persistence (nothing to measure there). */
async function privateRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; ; i++) {
    if (await probe.connect().then(() => true, () => false)) break;
    if (i > 100) throw new Error('the benchmark redis-server did not start');
    await sleep(100);
  }
  probe.disconnect();
  return {
    url,
    stop: async () => {
      process.removeListener('exit', kill);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const usedMemory = async (redis: Redis) => Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? Number.NaN);

/** A key's kind: hashes, ids and numbers replaced, so that keys of every conversation fall together. */
const familyOf = (key: string) =>
  key
    .replace(/\{[0-9a-f]{16}\}/, '{lane}')
    .replace(/\{[0-9a-f-]{36}\}/, '{case}')
    .replace(/:(?:p|x|d|c|s)-[^:]+$/, ':<job>')
    .replace(/telegram:\d+(:\w+)*/, 'telegram:<chat>…');

async function families(redis: Redis, conversations: number): Promise<MemoryRun['families']> {
  const byFamily = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const sizes = await Promise.all(keys.map((key) => redis.memory('USAGE', key) as Promise<number | null>));
    keys.forEach((key, i) => {
      const family = byFamily.get(familyOf(key)) ?? { keys: 0, bytes: 0 };
      family.keys += 1;
      family.bytes += sizes[i] ?? 0;
      byFamily.set(familyOf(key), family);
    });
  } while (cursor !== '0');
  return [...byFamily]
    .map(([family, f]) => ({ family, keys: f.keys, bytes: f.bytes / conversations }))
    .sort((a, b) => b.bytes - a.bytes);
}

type Start = typeof startLotse;
type LoadConfig = typeof loadConfig;

/**
 * One run: `conversations` Telegram users (webhook in, sendMessage out to a local fake Bot API),
 * each asking a question, which Lotse holds while it shows the privacy notice, then agreeing
 * ("yes" button): three replies, the last the question's answer (offline, extractive).
 */
async function measure(label: string, conversations: number, settleSeconds: number, code: { startLotse: Start; loadConfig: LoadConfig; env: Record<string, string> }): Promise<MemoryRun> {
  const redisServer = await privateRedis();
  const telegram = await new FakeTelegramServer().start();
  telegram.record = false;
  let sent = 0;
  telegram.onSend = () => void (sent += 1);
  const config = code.loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: 'bench',
    PUBLIC_URL: 'https://bench.invalid',
    // Platform limits lifted: this measures memory, not Telegram's pace.
    TELEGRAM_RATE_LIMIT: '100000',
    TELEGRAM_CHAT_RATE_LIMIT: '1000',
    ...code.env,
  });
  const lotse = await code.startLotse({ config, logger: createLogger('silent'), redisUrl: redisServer.url, roles: { gateway: true, worker: true, sender: true }, telegramBotInfo: telegram.botInfo });
  const redis = new Redis(redisServer.url);
  try {
    const started = performance.now();
    await sleep(1000);
    const before = await usedMemory(redis);
    let update = 1;
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(`${lotse.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'bench' }, body: JSON.stringify({ update_id: update++, ...body }) });
      if (response.status !== 200) throw new Error(`${label}: the webhook answered ${response.status}`);
    };
    const waitFor = async (count: number, what: string) => {
      const deadline = Date.now() + 600_000;
      while (sent < count) {
        if (Date.now() > deadline) throw new Error(`${label}: only ${sent} of ${count} replies (${what})`);
        await sleep(20);
      }
    };
    const inParallel = async (make: (chat: number) => Record<string, unknown>) => {
      let next = 1;
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (next <= conversations) await post(make(next++));
      }));
    };
    await inParallel((chat) => telegram.textUpdate(100_000 + chat, QUESTIONS[chat % QUESTIONS.length]!, chat));
    await waitFor(conversations, 'privacy notices');
    await inParallel((chat) => telegram.callbackUpdate(100_000 + chat, 'choice:yes'));
    await waitFor(3 * conversations, 'answers');
    await sleep(1000);
    const answered = await usedMemory(redis);
    const keysAnswered = await redis.dbsize();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label}: ${conversations} conversations answered in ${seconds.toFixed(0)} s; ${((answered - before) / conversations).toFixed(0)} B each; settling for ${settleSeconds} s`);
    await sleep(settleSeconds * 1000);
    const settled = await usedMemory(redis);
    const keysSettled = await redis.dbsize();
    const redisVersion = /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? '?';
    return { label, conversations, before, answered, settled, keysAnswered, keysSettled, families: await families(redis, conversations), seconds, redisVersion };
  } finally {
    await lotse.stop();
    await redis.quit();
    await telegram.stop();
    await redisServer.stop();
  }
}

/** Lotse at BASELINE_REVISION, out of git into a temp folder (its index copied, so that nothing of this checkout is touched). */
async function baselineCode(dataDir: string): Promise<{ code: { startLotse: Start; loadConfig: LoadConfig; env: Record<string, string> }; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-baseline-'));
  try {
    await run('sh', ['-c', `git archive ${BASELINE_REVISION} src test/helpers knowledge prompts package.json | tar -x -C "${dir}"`], { maxBuffer: 1 << 26 });
    await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
    await mkdir(path.join(dir, 'data'));
    await cp(path.join(dataDir, 'index'), path.join(dir, 'data', 'index'), { recursive: true });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the baseline (Lotse at ${BASELINE_REVISION}) could not be taken out of git: run the benchmark in the repository's checkout`, { cause: error });
  }
  const main = (await import(pathToFileURL(path.join(dir, 'src/main.ts')).href)) as { startLotse: Start };
  const config = (await import(pathToFileURL(path.join(dir, 'src/config/config.ts')).href)) as { loadConfig: LoadConfig };
  return {
    code: { startLotse: main.startLotse, loadConfig: config.loadConfig, env: { DATA_DIR: path.join(dir, 'data'), KNOWLEDGE_DIR: path.join(dir, 'knowledge') } },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Redis memory per conversation: the baseline (Lotse before this change) and this checkout, each on a fresh private Redis. */
export async function benchRedisMemory(dataDir: string, conversations = 10_000, settleSeconds = 130): Promise<RedisMemoryResult> {
  const old = await baselineCode(dataDir);
  try {
    const baseline = await measure(`baseline (${BASELINE_REVISION})`, conversations, settleSeconds, old.code);
    const current = await measure('this version', conversations, settleSeconds, { startLotse, loadConfig, env: { DATA_DIR: dataDir } });
    return { baseline, current, settleSeconds };
  } finally {
    await old.remove();
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
const perConversation = (run: MemoryRun, at: number) => (at - run.before) / run.conversations;

/** The BENCHMARKS.md section. */
export function redisMemorySection(result: RedisMemoryResult): string {
  const { baseline, current } = result;
  const row = (run: MemoryRun) =>
    `| ${run.label} | ${kb(perConversation(run, run.answered))} | ${kb(perConversation(run, run.settled))} | ${(run.keysAnswered / run.conversations).toFixed(1)} | ${(run.keysSettled / run.conversations).toFixed(1)} | ${((run.settled - run.before) / 1e6).toFixed(1)} MB |`;
  const top = (run: MemoryRun) =>
    run.families
      .filter((f) => f.bytes >= 5)
      .slice(0, 12)
      .map((f) => `| \`${f.family}\` | ${f.keys.toLocaleString('en')} | ${f.bytes.toFixed(0)} |`)
      .join('\n');
  return `## Redis memory per conversation

Command: \`npm run bench -- --part redis-memory [--conversations ${current.conversations}]\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; redis-server ${current.redisVersion} on the same machine.
${current.conversations.toLocaleString('en')} Telegram users (webhook in, \`sendMessage\` out to a local fake Bot API), one process (gateway, worker, sender), each on a
fresh private Redis (noeviction, no persistence). Each user asks a question, gets the privacy notice, presses "yes" and gets the
held question answered offline: two messages, three replies. \`used_memory\` (INFO memory) before the first message, once every
reply was sent, and ${result.settleSeconds} s later (lanes swept, flood counters expired, no job in any queue), less the start, per
conversation. Baseline in the same run: Lotse at commit ${BASELINE_REVISION} (the last before this change), taken out of git and run
in the same process with the same load.

| run | bytes/conversation, answered | settled | keys/conversation, answered | settled | total settled |
|---|---:|---:|---:|---:|---:|
${row(baseline)}
${row(current)}

Settled, this version keeps ${kb(perConversation(current, current.settled))} per conversation against the baseline's ${kb(perConversation(baseline, baseline.settled))} (target: under 6 kB).
What is left, by kind of key (MEMORY USAGE summed, per conversation; Redis's own bookkeeping of each key, some 50-70 bytes, comes on top):

| this version: key | keys | bytes/conversation |
|---|---:|---:|
${top(current)}

| baseline: key | keys | bytes/conversation |
|---|---:|---:|
${top(baseline)}

Most of what remains is the conversation record itself (consent, recent turns, the rest of the last answer for "more").
Deflated it takes about half (\`deflateAboveBytes\` of the conversation store; this version reads such records but does not
write them yet, so that no older process meets one during a rolling upgrade). A web chat session keeps, besides, its replies
for a day (\`web:outbox:<session>\`, for a reload), some 4-5 kB for these three replies; Telegram and WhatsApp keep none.`;
}
