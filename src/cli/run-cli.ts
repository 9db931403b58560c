import { isLotseError } from '../core/errors.js';

/**
 * Runs a CLI's main function: a coded error prints its message and fix, anything else its stack.
 * While it runs under npm, the process stops when npm goes away (see watchParent).
 */
export function runCli(main: () => Promise<number | void>): void {
  // Only under npm (which sets npm_lifecycle_event): a process started by hand and left running
  // in the background on purpose must not stop when its shell exits.
  const unwatch = process.env.npm_lifecycle_event ? watchParent() : () => undefined;
  main()
    .then(
      (code) => {
        process.exitCode = code ?? 0;
      },
      (error: unknown) => {
        if (isLotseError(error)) console.error(error.explain());
        else console.error(error);
        process.exitCode = isLotseError(error, 'USAGE') ? 2 : 1;
      },
    )
    .finally(unwatch);
}

/**
 * When the parent process dies without passing a signal on (npm killed with SIGKILL, a crashed
 * supervisor), this process is re-parented; it then sends itself SIGTERM, so it stops as if the
 * parent had forwarded one, instead of serving on as an orphan. Polls once a second without
 * keeping the process alive. Returns a function that stops watching.
 */
export function watchParent(intervalMs = 1_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface StopSignalOptions {
  /** Upper bound of a graceful stop, counted from the first signal; then the process exits with code 1. */
  timeoutMs: number;
  /**
   * A repeat of the same signal within this window is the same request delivered twice, not a
   * second one: Ctrl+C reaches the whole foreground process group, so under `npm start` the
   * terminal and npm (which forwards SIGINT) each deliver it.
   */
  repeatWindowMs?: number;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Shell convention for "ended by signal n": 128 + n. */
const SIGNAL_EXIT_CODES: Record<(typeof STOP_SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Resolves with the first SIGTERM or SIGINT. Installed before start-up, so that a signal during
 * start-up also stops gracefully. After the first signal, another one forces an immediate exit
 * (128 + its number), and if the process is still running after `timeoutMs` it exits with code 1
 * and says so. The handlers stay installed to the end: removed, a late signal would kill the
 * process on the spot, skipping the exit hooks.
 */
export function stopRequested({ timeoutMs, repeatWindowMs = 1_000 }: StopSignalOptions): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: { signal: NodeJS.Signals; at: number } | undefined;
    const onSignal = (signal: (typeof STOP_SIGNALS)[number]) => {
      const now = Date.now();
      if (!first) {
        first = { signal, at: now };
        // unref: a clean stop ends the process as soon as nothing is left to do.
        setTimeout(() => {
          console.error(`Lotse did not stop within ${timeoutMs / 1000} s of ${signal}: exiting now (messages not yet answered stay in Redis).`);
          process.exit(1);
        }, timeoutMs).unref();
        resolve(signal);
        return;
      }
      if (signal === first.signal && now - first.at < repeatWindowMs) return;
      console.error(`${signal} again: exiting without waiting (messages not yet answered stay in Redis).`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
