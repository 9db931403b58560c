export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every `everyMs` until it holds (true) or `timeoutMs` passed (false). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

/** Waits until `count()` stopped changing for `quietMs` (true), or `timeoutMs` passed (false). */
export async function waitUntilQuiet(count: () => number, quietMs: number, timeoutMs: number): Promise<boolean> {
  let last = Number.NaN; // waitFor checks at once: the first check only takes the count
  return waitFor(() => {
    const now = count();
    const quiet = now === last;
    last = now;
    return quiet;
  }, timeoutMs, quietMs);
}
