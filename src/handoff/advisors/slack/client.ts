import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import { PermanentSendError, RateLimitedError, RetryableSendError } from '../../../core/errors.js';
import type { Logger } from '../../../infra/logger.js';
import type { SlackConfig } from './config.js';

export type WebClient = webApi.WebClient;
export type WebClientOptions = webApi.WebClientOptions;

/**
 * One client's options, shared by the Bolt app and the transport: no retries inside the client
 * (the advisor lane retries with its own backoff, and a button's answer must not wait minutes),
 * 429s thrown at once with their retry-after, and a timeout so a hung call cannot hold a lane.
 */
export function slackClientOptions(config: Pick<SlackConfig, 'apiUrl'>, logger?: BoltLogger): WebClientOptions {
  return { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 15_000, ...(logger ? { logger } : {}) };
}

export function createSlackClient(config: Pick<SlackConfig, 'apiUrl' | 'botToken'>, logger?: BoltLogger): WebClient {
  return new webApi.WebClient(config.botToken, slackClientOptions(config, logger));
}

/** Platform errors a retry cannot mend: the channel is gone or closed to the bot, or the message itself is refused. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'invalid_arguments', 'msg_too_long', 'no_text', 'restricted_action', 'cant_update_message']);

/** Codes that say the bot token is wrong or revoked: retried, so that replies go out once it is renewed. */
const TOKEN_CODES = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** The Slack error code of a Web API platform error (`message_not_found`, …), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/** Turns Web API errors into the ones the lanes act on: 429 waits, permanent ones are not retried, the rest retry. */
export async function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof webApi.WebAPIRateLimitedError) throw new RateLimitedError(error.retryAfter, `Slack ${method}: rate limited, retry after ${error.retryAfter} s`);
    const code = slackErrorCode(error);
    if (code && PERMANENT.has(code)) throw new PermanentSendError(`Slack ${method}: ${code}`, { cause: error, kind: 'bad_request' });
    if (code) throw new RetryableSendError(`Slack ${method}: ${code}`, TOKEN_CODES.has(code) ? 'token' : 'other', { cause: error });
    throw new RetryableSendError(`Slack ${method} failed: ${(error as Error)?.message ?? String(error)}`, error instanceof webApi.WebAPIHTTPError ? 'server' : 'network', { cause: error });
  }
}

/**
 * Bolt's and the Web API client's logger, written to Lotse's. Only strings and error messages are
 * passed on: Bolt may log whole payloads (with what users and advisors wrote) at debug level.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : '')).filter(Boolean).join(' ').slice(0, 500);
  const at = (wanted: LogLevel, write: (msg: string) => void) => (...parts: unknown[]) => {
    if (order.indexOf(wanted) >= order.indexOf(level)) write(text(parts));
  };
  return {
    // Debug lines of the Web API client carry request bodies: never passed on.
    debug: () => undefined,
    info: at(LogLevel.INFO, (msg) => logger.info({ component: 'slack' }, msg)),
    warn: at(LogLevel.WARN, (msg) => logger.warn({ component: 'slack' }, msg)),
    error: at(LogLevel.ERROR, (msg) => logger.error({ component: 'slack' }, msg)),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
