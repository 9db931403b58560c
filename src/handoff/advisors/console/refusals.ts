import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** A request the console refuses on purpose, with a reason short enough for the page to show as it is. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ConsoleRefusal';
  }
}

/** Fastify's own refusals of a body, in our words (its messages may echo what the client sent). */
const BODY_REASONS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type: send JSON (application/json)',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: empty; send a JSON object',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length: does not match the body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: too large',
};

/**
 * The console's error handler: a client's mistake is a 4xx with a short reason, never a 500. A
 * fault of ours goes on to the server's handler, which logs it (redacted) and answers 500 without details.
 */
export function consoleErrorHandler(error: FastifyError | ConsoleRefusal, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ConsoleRefusal) return reply.code(error.statusCode).headers(error.headers).send({ error: error.message });
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: BODY_REASONS[error.code] ?? 'bad request' });
  throw error;
}
