/** Stable codes for every error Lotse raises on purpose. */
export type LotseErrorCode =
  | 'CONFIG_INVALID'
  | 'KNOWLEDGE_INVALID'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'EMBEDDINGS_FAILED'
  | 'LLM_FAILED'
  | 'LLM_TIMEOUT'
  | 'USAGE'
  | 'TELEGRAM_UPDATE_INVALID'
  | 'MEDIA_TIMEOUT'
  | 'MEDIA_FETCH_FAILED';

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

/** A platform asked us to slow down; the send is retried after `retryAfterSeconds`, not counted as a failure. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message = `rate limited: retry after ${retryAfterSeconds} s`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** What went wrong with a platform call, as the senders know it: a fixed set (the metrics' labels), never the platform's own words. */
export const SEND_FAILURE_KINDS = ['rate_limited', 'blocked', 'bad_request', 'token', 'timeout', 'server', 'network', 'not_ready', 'other'] as const;
export type SendFailureKind = (typeof SEND_FAILURE_KINDS)[number];

/** A send that can never succeed (blocked by the user, chat gone, bad request): not retried. */
export class PermanentSendError extends Error {
  /** Why, where the sender knows it ("blocked", "bad_request"). */
  readonly kind?: SendFailureKind;

  constructor(message: string, options?: { cause?: unknown; kind?: SendFailureKind }) {
    super(message, options);
    this.name = 'PermanentSendError';
    if (options?.kind) this.kind = options.kind;
  }
}

/** A send that failed for now and is retried (the platform down or slow, the token refused until renewed), with why. */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableSendError';
  }
}

/** The queue (Redis) cannot take a message now: a webhook answers 503 so the platform retries. */
export class QueueUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the message queue is unavailable', options);
    this.name = 'QueueUnavailableError';
  }
}
