/** Stable codes for every error Lotse raises on purpose. */
export type LotseErrorCode =
  | 'CONFIG_INVALID'
  | 'KNOWLEDGE_INVALID'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'EMBEDDINGS_FAILED'
  | 'LLM_FAILED'
  | 'LLM_TIMEOUT'
  | 'USAGE';

/** An error with a stable code, the context it happened in, and (where known) how to fix it. */
export class LotseError extends Error {
  constructor(
    readonly code: LotseErrorCode,
    message: string,
    readonly details: { hint?: string; cause?: unknown; [key: string]: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LotseError';
  }

  /** The message with its fix, as a person should read it. */
  explain(): string {
    return this.details.hint ? `${this.message}\n  How to fix: ${this.details.hint}` : this.message;
  }
}

export function isLotseError(error: unknown, code?: LotseErrorCode): error is LotseError {
  return error instanceof LotseError && (code === undefined || error.code === code);
}
