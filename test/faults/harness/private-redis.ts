import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { killOnExit } from './kill-on-exit.js';
import { SETTINGS } from './settings.js';
import { sleep } from './wait.js';

/**
 * Sends one command on a fresh connection and resolves with the raw reply (RESP, e.g. "+PONG\r\n",
 * "$3\r\nabc\r\n", "-LOADING …"), or undefined when Redis does not answer. Enough for probes.
 */
export function redisCommand(port: number, args: string[], timeoutMs = 500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (data) => {
      reply += data.toString();
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.endsWith('\r\n')) done(reply);
    });
  });
}

/** PING: true on +PONG (false while down or still loading the AOF). */
export async function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return (await redisCommand(port, ['PING'], timeoutMs))?.startsWith('+PONG') ?? false;
}

/**
 * A private redis-server on a free loopback port, append-only file on and fsynced on every write,
 * no RDB snapshots, data in a temp folder. It can be stopped (SIGTERM), killed (-9) and started
 * again on the same port and folder: what was acknowledged survives through the AOF.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private starts = 0;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly logFile: string,
  ) {}

  /** logsDir receives redis.log (kept with the processes' logs); the data folder is a temp one, removed by remove(). */
  static async start(logsDir: string): Promise<PrivateRedis> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-faults-redis-'));
    await mkdir(logsDir, { recursive: true });
    const redis = new PrivateRedis(await freePort(), dir, path.join(logsDir, 'redis.log'));
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts redis-server (again) on the same port and folder, and waits until it answers PING (the AOF replayed). */
  async restart(): Promise<void> {
    if (this.running) throw new Error('PrivateRedis.restart: still running; stop or kill it first');
    const deadline = performance.now() + SETTINGS.redisStartTimeoutMs;
    // The port can stay taken for a moment after a kill: redis-server then exits, and is started again.
    for (let attempt = 1; ; attempt++) {
      this.spawnServer();
      while (this.running && !(await ping(this.port))) {
        if (performance.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer within ${SETTINGS.redisStartTimeoutMs} ms; see ${this.logFile}`);
        await sleep(25);
      }
      if (this.running) return;
      if (attempt >= 3 || performance.now() > deadline) throw new Error(`redis-server on port ${this.port} exited at start (${attempt} attempts); see ${this.logFile}`);
      await sleep(300);
    }
  }

  private spawnServer(): void {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
    const log = createWriteStream(this.logFile, { flags: 'a' });
    log.write(`--- start ${++this.starts} at ${new Date().toISOString()}: redis-server ${args.join(' ')}\n`);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('error', (error) => log.write(`spawn failed: ${error.message}\n`));
    child.once('exit', () => log.end());
    killOnExit(child);
    this.child = child;
  }

  /** Graceful stop (SIGTERM): redis-server flushes and exits. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** kill -9: no chance to flush anything beyond what appendfsync always already wrote. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), SETTINGS.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kills it and deletes its data folder. */
  async remove(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
