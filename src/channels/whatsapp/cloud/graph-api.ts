import { PermanentSendError, RateLimitedError, RetryableSendError } from '../../../core/errors.js';
import type { WhatsAppCloudSettings } from '../config.js';

/**
 * Graph error codes that mean "slow down": 4 (app calls), 80007 (account calls), 130429 (number's
 * throughput), 131048 (spam rate limit), 131056 (too many messages to one user).
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
/** Meta refuses free messages outside the 24-hour customer-service window. */
export const RE_ENGAGEMENT_CODE = 131047;

/** Meta says the user's window has closed: the reply waits, a template may go instead. */
export class WindowClosedAtMetaError extends Error {
  constructor() {
    super(`Graph API: outside the 24-hour window (code ${RE_ENGAGEMENT_CODE})`);
    this.name = 'WindowClosedAtMetaError';
  }
}

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

/** Meta's message, short and without anything that looks like a phone number (it never quotes the user's text). */
function safeMessage(error: GraphError): string {
  const message = typeof error.message === 'string' ? error.message : 'no message';
  return message.replace(/\+?\d[\d\s-]{4,}\d/g, '<number>').slice(0, 200);
}

async function graphError(response: Response): Promise<GraphError> {
  const body = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(body) as { error?: GraphError };
    return parsed && typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : {};
  } catch {
    return {};
  }
}

/** Seconds to wait: Meta's Retry-After when given, else a short pause (a longer one when one user got too many). */
function retryAfter(response: Response, code: number | undefined): number {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return Math.min(3600, Math.ceil(header));
  return code === 131056 || code === 131048 ? 5 : 1;
}

/**
 * POSTs one message to `/{phone-number-id}/messages` and turns Graph's answers into the errors the
 * outbound worker acts on: RateLimitedError (wait), WindowClosedAtMetaError (hold the reply),
 * PermanentSendError (retrying cannot help), a plain Error for 5xx and network trouble (retried).
 */
/** Graph's OAuthException code for an invalid or expired access token. */
const ACCESS_TOKEN_CODE = 190;

export async function postMessage(settings: Pick<WhatsAppCloudSettings, 'graphApiUrl' | 'phoneNumberId' | 'token'>, payload: Record<string, unknown>, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${settings.graphApiUrl}/${encodeURIComponent(settings.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError') throw new RetryableSendError(`Graph API did not answer within ${timeoutMs} ms`, 'timeout', { cause: error });
    throw new RetryableSendError(`Graph API unreachable: ${(error as Error)?.message}`, 'network', { cause: error });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const error = await graphError(response);
  const code = typeof error.code === 'number' ? error.code : undefined;
  const described = `Graph API HTTP ${response.status}${code === undefined ? '' : ` code ${code}${error.error_subcode ? `/${error.error_subcode}` : ''}`}`;
  if (response.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) throw new RateLimitedError(retryAfter(response, code), `${described}: rate limited`);
  if (code === RE_ENGAGEMENT_CODE) throw new WindowClosedAtMetaError();
  if (response.status >= 500) throw new RetryableSendError(`${described}: ${safeMessage(error)}`, 'server');
  // An expired or revoked token: the operator renews WHATSAPP_CLOUD_TOKEN and the retries go out, rather than every reply being given up on.
  if (response.status === 401 || code === ACCESS_TOKEN_CODE) throw new RetryableSendError(`${described}: the access token was refused (expired or revoked?); renew WHATSAPP_CLOUD_TOKEN`, 'token');
  throw new PermanentSendError(`${described}: ${safeMessage(error)}${error.fbtrace_id ? ` (fbtrace_id ${String(error.fbtrace_id).slice(0, 64)})` : ''}`, { kind: response.status === 403 ? 'blocked' : 'bad_request' });
}
