/** Thrown by a lane handler to try the same item again later without counting a failure (a 429, a per-chat pause). */
export class DeferError extends Error {
  constructor(readonly ms: number) {
    super(`deferred for ${ms} ms`);
    this.name = 'DeferError';
  }
}

/** Thrown by a lane handler when retrying cannot help: the item goes to the dead letters at once. */
export class PermanentItemError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentItemError';
  }
}

/** An item's JSON, or undefined when it cannot be read (it then goes to the dead letters as it is). */
export function parseItem<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}
