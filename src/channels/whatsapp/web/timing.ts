import { setTimeout as delay } from 'node:timers/promises';

/** Rejects with `onTimeout()` after `ms` unless the promise settles first; the timer does not hold the process open. */
export function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, or less when `signal` aborts; never rejects, and does not hold the process open. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(Math.max(0, ms), undefined, { signal, ref: false }).catch(() => undefined);
}
