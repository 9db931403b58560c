import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The web chat's user id: 160 random bits, issued by the server, kept in an HttpOnly cookie only. */
export const SESSION_COOKIE = 'lotse_chat';
export const SESSION_PATTERN = /^[A-Za-z0-9-]{16,64}$/;
/** A day, renewed on each visit and message; the session's outbox lives as long. */
export const SESSION_MAX_AGE_SECONDS = 86_400;

export const newSessionId = (): string => randomBytes(20).toString('hex');

/** The session the request's cookie names, or undefined when it has none (or a malformed one). */
export function readSession(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && SESSION_PATTERN.test(value) ? value : undefined;
}

/** Sets (or renews) the cookie: never readable by scripts, never sent from another site, only to /chat. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: string): void {
  reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', path: '/chat', maxAge: SESSION_MAX_AGE_SECONDS, secure: cameOverHttps(request) });
}

/** Behind a TLS-terminating proxy the socket is plain; the proxy says https in x-forwarded-proto. */
function cameOverHttps(request: FastifyRequest): boolean {
  if ((request.raw.socket as TLSSocket | undefined)?.encrypted) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
