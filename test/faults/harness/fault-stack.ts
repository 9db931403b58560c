import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { FakeTelegramServer } from '../../helpers/fake-telegram-server.js';
import { prepareDataDir, type DataDir } from './data-dir.js';
import { freePort } from './free-port.js';
import { LotseProcess, type Role } from './lotse-process.js';
import { PrivateRedis } from './private-redis.js';
import { echoMarker } from './questions.js';
import { SentRecorder } from './sent-recorder.js';
import { SETTINGS } from './settings.js';

/** The repository whose workers/ are started: LOTSE_ROOT, or the one holding these tests. */
export const LOTSE_ROOT = process.env.LOTSE_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const WEBHOOK_SECRET = 'faults-secret_1';
/** Used only if the code under test refuses TELEGRAM_MODE=webhook without PUBLIC_URL (today's does); the fake Bot API accepts the setWebhook. */
const FALLBACK_PUBLIC_URL = 'https://lotse-faults.invalid';

export interface StackOptions {
  /** Names the logs folder. */
  name: string;
  telegramMode: 'webhook' | 'polling';
  workers: number;
  senders?: number;
  /** The prebuilt index (vitest: inject('indexDir')); built once into the temp DATA_DIR when absent. */
  indexDir?: string;
  /** Extra environment for every process (e.g. WORKER_CONCURRENCY, TELEGRAM_RATE_LIMIT, TELEGRAM_CHAT_RATE_LIMIT, USER_RATE_LIMIT). */
  env?: Record<string, string>;
  llmDelayMs?: { min: number; max: number };
}

/**
 * A whole Lotse deployment as separate processes on loopback: a private Redis (AOF), the fake
 * Bot API and the fake LLM (answers echo the question's marker), a gateway, workers and senders.
 * stop() kills every process and removes the temp folders; the logs folder is kept when asked
 * (on failure) and printed.
 */
export class FaultStack {
  readonly processes: LotseProcess[] = [];
  readonly recorder: SentRecorder;
  gatewayUrl = '';
  /** When the fake LLM was asked for each answer (safety screens not counted), and what it answered. */
  llmAnswers: { at: number; content: string }[] = [];
  /** Set when PUBLIC_URL had to be given for webhook mode (see FALLBACK_PUBLIC_URL). */
  publicUrlFallback = false;
  private names = new Map<Role, number>();

  private constructor(
    readonly options: StackOptions,
    readonly telegram: FakeTelegramServer,
    readonly openai: FakeOpenAiServer,
    readonly redis: PrivateRedis,
    readonly data: DataDir,
    readonly logsDir: string,
  ) {
    this.recorder = new SentRecorder(telegram);
  }

  static async start(options: StackOptions): Promise<FaultStack> {
    const logsDir = await mkdtemp(path.join(os.tmpdir(), `lotse-faults-${options.name}-logs-`));
    const telegram = await new FakeTelegramServer().start();
    const openai = await new FakeOpenAiServer().start();
    const delay = options.llmDelayMs ?? SETTINGS.llmDelayMs;
    const llmAnswers: { at: number; content: string }[] = [];
    openai.respond = (request) => {
      const content = echoMarker(request);
      llmAnswers.push({ at: performance.now(), content });
      return { content, delayMs: delay.min + Math.random() * (delay.max - delay.min) };
    };
    const redis = await PrivateRedis.start(logsDir);
    const data = await prepareDataDir(options.indexDir, path.join(LOTSE_ROOT, 'knowledge'));
    const stack = new FaultStack(options, telegram, openai, redis, data, logsDir);
    stack.llmAnswers = llmAnswers;
    try {
      await stack.spawn('gateway');
      for (let i = 0; i < options.workers; i++) await stack.spawn('worker');
      for (let i = 0; i < (options.senders ?? 1); i++) await stack.spawn('sender');
    } catch (error) {
      await stack.stop(true);
      throw error;
    }
    return stack;
  }

  /** The environment of a process of this role. */
  envFor(role: Role, port: number): Record<string, string> {
    const telegram: Record<string, string> =
      this.options.telegramMode === 'webhook'
        ? { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, ...(this.publicUrlFallback ? { PUBLIC_URL: FALLBACK_PUBLIC_URL } : {}) }
        : { TELEGRAM_MODE: 'polling' };
    return {
      REDIS_URL: this.redis.url,
      DATA_DIR: this.data.path,
      KNOWLEDGE_DIR: path.join(LOTSE_ROOT, 'knowledge'),
      LOG_LEVEL: 'warn',
      PORT: String(role === 'gateway' ? port : 0),
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: this.telegram.token,
      TELEGRAM_API_ROOT: this.telegram.url,
      ...telegram,
      OPENAI_BASE_URL: this.openai.baseUrl,
      OPENAI_API_KEY: 'test',
      ...this.options.env,
    };
  }

  /** Starts one more process of a role and waits until it runs (the gateway: /readyz answers 200). */
  async spawn(role: Role): Promise<LotseProcess> {
    const n = (this.names.get(role) ?? 0) + 1;
    this.names.set(role, n);
    const name = role === 'gateway' && n === 1 ? 'gateway' : `${role}-${n}`;
    const port = role === 'gateway' ? await freePort() : 0;
    const start = async (suffix = '') => {
      const child = new LotseProcess(`${name}${suffix}`, role, this.envFor(role, port), LOTSE_ROOT, this.logsDir);
      this.processes.push(child);
      const ready = role === 'gateway' ? () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false) : undefined;
      await child.waitStarted(ready, role !== 'gateway');
      return child;
    };
    let child: LotseProcess;
    try {
      child = await start();
    } catch (error) {
      const refusedWithoutPublicUrl = this.options.telegramMode === 'webhook' && !this.publicUrlFallback && /PUBLIC_URL/.test(String(error));
      if (!refusedWithoutPublicUrl) throw error;
      console.warn(`${name}: the code under test needs PUBLIC_URL in webhook mode; giving ${FALLBACK_PUBLIC_URL} (setWebhook goes to the fake Bot API)`);
      this.publicUrlFallback = true;
      child = await start('-with-public-url');
    }
    if (role === 'gateway') this.gatewayUrl = `http://127.0.0.1:${port}`;
    return child;
  }

  /** Processes of a role, in start order. */
  byRole(role: Role): LotseProcess[] {
    return this.processes.filter((p) => p.role === role);
  }

  /** Processes that got ready and then ended without being asked to (crashed), with how they ended. */
  async crashedProcesses(): Promise<string[]> {
    const dead = this.processes.filter((p) => p.ready && !p.alive && !p.stopRequested);
    return Promise.all(dead.map(async (p) => `${p.name} ${JSON.stringify(await p.exited)}`));
  }

  /** Kills everything (-9; nothing of this run's state is needed any more), removes temp folders; keeps and prints the logs folder if `keepLogs`. */
  async stop(keepLogs: boolean): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
    await this.redis.remove().catch(() => undefined);
    await this.data.remove().catch(() => undefined);
    await this.telegram.stop().catch(() => undefined);
    await this.openai.stop().catch(() => undefined);
    if (keepLogs || process.env.FAULTS_KEEP_LOGS) console.warn(`fault harness: logs of ${this.options.name} kept in ${this.logsDir}`);
    else await rm(this.logsDir, { recursive: true, force: true });
  }
}
