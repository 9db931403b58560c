import { PermanentSendError, RateLimitedError, SEND_FAILURE_KINDS, type SendFailureKind } from '../core/errors.js';

/** An error and its causes (a PermanentSendError wraps grammY's error, a plain Error the fetch failure). */
function chain(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (let current = error; current && typeof current === 'object' && found.length < 5; current = (current as { cause?: unknown }).cause) found.push(current as Record<string, unknown>);
  return found;
}

/** The HTTP status a platform answered, where an error says it (grammY's error_code, "Graph API HTTP 401 …", a status field). */
function httpStatus(errors: Record<string, unknown>[]): number | undefined {
  for (const error of errors) {
    for (const field of ['error_code', 'status', 'statusCode']) if (typeof error[field] === 'number') return error[field] as number;
    const stated = /\bHTTP (\d{3})\b/.exec(String(error.message ?? ''));
    if (stated) return Number(stated[1]);
  }
  return undefined;
}

/**
 * Sorts a failed platform call into one of SEND_FAILURE_KINDS: the kind the channel's sender gave it
 * (src/channels/<name>/outbound.ts, the Graph API and Slack clients), else from the error's class,
 * the platform's status and its message (an error from a library no sender wrapped). The message
 * is only matched, never kept.
 */
export function sendErrorKind(error: unknown): SendFailureKind {
  if (error instanceof RateLimitedError) return 'rate_limited';
  const errors = chain(error);
  const given = errors.map((e) => e.kind).find((kind): kind is SendFailureKind => typeof kind === 'string' && (SEND_FAILURE_KINDS as readonly string[]).includes(kind));
  if (given) return given;
  const status = httpStatus(errors);
  const text = errors.map((e) => `${String(e.name ?? '')} ${String(e.message ?? '')} ${String(e.description ?? '')} ${String(e.code ?? '')}`).join(' ');
  if (status === 429) return 'rate_limited';
  if (status === 401 || /access token|unauthori[sz]ed|invalid token/i.test(text)) return 'token';
  if (status === 403 || /blocked by the user|user is deactivated|bot was kicked/i.test(text)) return 'blocked';
  if (/not ready/i.test(text)) return 'not_ready';
  if (/TimeoutError|AbortError|timed? ?out|did not answer|in time|unconfirmed/i.test(text)) return 'timeout';
  if (status !== undefined && status >= 500) return 'server';
  if (/unreachable|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|fetch failed|socket hang up|network/i.test(text)) return 'network';
  if (error instanceof PermanentSendError || (status !== undefined && status >= 400)) return 'bad_request';
  return 'other';
}
