import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** A request the web chat refuses on purpose, with a reason short and polite enough for the page to show. */
export class ChatRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChatRefusal';
  }
}

/** Fastify's own refusals of a body, in the page's words (its messages may echo what the client sent). */
const BODY_REASONS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type: send JSON (application/json)',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: empty; send a JSON object',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length: does not match the body',
};

/**
 * The web chat's error handler: a client's mistake is a 4xx with a short reason, never a 500. A
 * fault of ours goes on to the server's own handler, which logs it and answers 500 without details.
 */
export function chatErrorHandler(maxBodyBytes: number) {
  const tooLarge = `body: too large (at most ${Math.floor(maxBodyBytes / 1024)} KB); please send a shorter message`;
  return (error: FastifyError | ChatRefusal, _request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode;
    if (error instanceof ChatRefusal) return reply.code(error.statusCode).send({ error: error.message });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: tooLarge });
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: BODY_REASONS[error.code] ?? 'bad request' });
    throw error;
  };
}
