import { pino, type Logger } from 'pino';
import type { Redactor } from '../core/ports.js';

export type { Logger };

/** Fields that may hold secrets or what a user wrote: never written to a log. */
const REDACTED_PATHS = [
  'text', '*.text', 'message.text', 'brief', '*.brief', 'token', '*.token', 'apiKey', '*.apiKey', 'secret', '*.secret',
  'headers.authorization', '*.headers.authorization', 'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]',
  'userId', '*.userId', 'phone', '*.phone', 'email', '*.email',
];

/** The one logger: JSON lines, secrets and user text censored. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'lotse' } }, destination);
}

/** The `onError` of the conversation engine: a warning with the error's code and redacted message. */
export function logRecovered(logger: Logger, redactor: Redactor): (error: unknown, where: string) => void {
  return (error, where) => logger.warn({ err: errorField(error, redactor), where }, 'recovered');
}

/** An error as a log field: its code and message with personal data removed; never the user's text. */
export function errorField(error: unknown, redactor: Redactor): { code?: string; name?: string; message: string } {
  const e = error as { code?: unknown; name?: string; message?: string };
  return { code: typeof e?.code === 'string' ? e.code : undefined, name: e?.name, message: redactor.redact(String(e?.message ?? error)) };
}
