import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The console's session cookie: never readable by scripts, never sent from another site, only to
 * the console's paths: /advisor, and the queue dashboard at /admin/queues (a public address of its
 * own). Set and cleared on both paths alike.
 */
export const CONSOLE_COOKIE = 'lotse_advisor';
const COOKIE_PATHS = ['/advisor', '/admin/queues'];

export function readSessionCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[CONSOLE_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The cookie lives as long as the session can (its absolute end); the server ends it earlier when idle. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string, maxAgeMs: number): void {
  for (const path of COOKIE_PATHS) reply.setCookie(CONSOLE_COOKIE, id, { httpOnly: true, sameSite: 'strict', path, maxAge: Math.floor(maxAgeMs / 1000), secure: cameOverHttps(request) });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  for (const path of COOKIE_PATHS) reply.clearCookie(CONSOLE_COOKIE, { httpOnly: true, sameSite: 'strict', path, secure: cameOverHttps(request) });
}

/** Behind a TLS-terminating proxy the socket is plain; the proxy says https in x-forwarded-proto. */
function cameOverHttps(request: FastifyRequest): boolean {
  if ((request.raw.socket as TLSSocket | undefined)?.encrypted) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
