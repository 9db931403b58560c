import type { FastifyReply } from 'fastify';

/**
 * Everything the console loads comes from its own routes: no inline script or style, no other
 * origin, no framing (clickjacking), no referrer (case URLs stay here).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setSecurityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  // Cases are personal data: never kept by the browser or a proxy.
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}
