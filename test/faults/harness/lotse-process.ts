import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { killOnExit } from './kill-on-exit.js';
import { SETTINGS } from './settings.js';
import { sleep, waitFor } from './wait.js';

export type Role = 'gateway' | 'worker' | 'sender';

const ENTRY: Record<Role, string> = {
  gateway: 'workers/gateway.ts',
  worker: 'workers/conversation-worker.ts',
  sender: 'workers/outbound-sender.ts',
};

/** What every entry point prints on stdout once it runs (printed whatever LOG_LEVEL is). */
const STARTED = /Lotse is running/;

/**
 * One Lotse process (`node --import tsx workers/<role>.ts`) started from the repository root,
 * with exactly the environment given (nothing inherited but PATH, HOME and TMPDIR), stdout and
 * stderr written to <logsDir>/<name>.out.log and .err.log.
 */
export class LotseProcess {
  readonly child: ChildProcess;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  private started = false;
  /** Set once waitStarted() succeeded. */
  ready = false;
  /** Set by kill() and terminate(): its end was wanted. */
  stopRequested = false;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly env: Record<string, string>,
    root: string,
    logsDir: string,
  ) {
    this.stdoutFile = path.join(logsDir, `${name}.out.log`);
    this.stderrFile = path.join(logsDir, `${name}.err.log`);
    const base: Record<string, string> = {};
    for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key] !== undefined) base[key] = process.env[key]!;
    this.child = spawn(process.execPath, ['--import', 'tsx', ENTRY[role]], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(this.child);
    const out = createWriteStream(this.stdoutFile);
    const err = createWriteStream(this.stderrFile);
    this.child.stdout!.pipe(out);
    this.child.stderr!.pipe(err);
    let seen = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      if (this.started) return;
      seen = (seen + chunk.toString()).slice(-4096);
      if (STARTED.test(seen)) this.started = true;
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Whether the start-up banner was printed. */
  get hasStarted(): boolean {
    return this.started;
  }

  /**
   * Waits for the banner on stdout, and for `ready` (the gateway's /readyz) when given. Throws,
   * with the end of its logs, if the process exits first or does not get there in time; a process
   * that is alive but printed no banner (the rewrite may print another) is accepted after the timeout
   * with a warning only when `bannerOptional`.
   */
  async waitStarted(ready?: () => Promise<boolean>, bannerOptional = false): Promise<void> {
    const ok = await waitFor(async () => !this.alive || (this.started && (!ready || (await ready()))), SETTINGS.startupTimeoutMs, 50);
    if (!this.alive) throw new Error(`${this.name} exited while starting (${JSON.stringify(await this.exited)}).\n${await this.logTail()}`);
    if (ok) return void (this.ready = true);
    if (bannerOptional && !ready) {
      console.warn(`${this.name}: no start-up banner after ${SETTINGS.startupTimeoutMs} ms but running; going on`);
      return void (this.ready = true);
    }
    throw new Error(`${this.name} did not get ready within ${SETTINGS.startupTimeoutMs} ms.\n${await this.logTail()}`);
  }

  /** kill -9. */
  async kill(): Promise<void> {
    this.stopRequested = true;
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful stop), then SIGKILL after `timeoutMs`. Resolves with how it ended. */
  async terminate(timeoutMs: number = SETTINGS.stopTimeoutMs): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
    this.stopRequested = true;
    if (!this.alive) return { ...(await this.exited), forced: false };
    this.child.kill('SIGTERM');
    const ended = await Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
    if (ended) return { ...ended, forced: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), forced: true };
  }

  /** The last lines of its stdout and stderr, for failure messages. */
  async logTail(lines = 30): Promise<string> {
    const tail = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-lines).join('\n');
    await sleep(50); // let the pipes flush
    return `--- ${this.stdoutFile}\n${await tail(this.stdoutFile)}\n--- ${this.stderrFile}\n${await tail(this.stderrFile)}`;
  }
}
