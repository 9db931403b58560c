const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Redis write whose need the process knows for sure (the outcome of a platform call, or taking
 * back a mark whose write may or may not have reached Redis) must not be lost to a Redis restart:
 * it is retried, backing off to 5 s, for about two minutes, then the error is thrown.
 */
export async function persist<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  }
}
