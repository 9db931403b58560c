import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AdvisorAccount, AdvisorRole } from './accounts.js';
import { describeIssues } from './api-schemas.js';
import { ConsoleRefusal } from './refusals.js';
import { messagePage } from './page-frame.js';

/**
 * Pages of the console beyond the advisors' queue (the queue dashboard, statistics, event notices):
 * each registers its own routes inside the console's scope (cookie, rate limit, security headers,
 * error handler) and checks who is asking through `ConsoleAccess`, the console's own session and
 * CSRF checks. The header links to a page for the roles it names.
 */
export interface ConsoleExtension {
  /** The header's link to the page, shown to accounts of these roles. */
  link?: { href: string; label: string; roles: readonly AdvisorRole[] };
  routes(scope: FastifyInstance, access: ConsoleAccess): void | Promise<void>;
}

export interface ConsoleAccess {
  /** The signed-in account; a ConsoleRefusal(401) otherwise. `activity` false for the page's own timers. */
  signedIn(request: FastifyRequest, activity?: boolean): Promise<AdvisorAccount>;
  /** A state-changing request: from the console's site, signed in, with the session's CSRF token (403 otherwise). */
  changing(request: FastifyRequest): Promise<AdvisorAccount>;
  /** The session's CSRF token, for a page's script to send back with its changes. */
  csrfToken(request: FastifyRequest): Promise<string>;
}

/** Refuses (403) an account without one of the roles. */
export function requireRole(account: AdvisorAccount, roles: readonly AdvisorRole[], message = 'Your account may not open this page.'): void {
  if (!roles.includes(account.role)) throw new ConsoleRefusal(403, message);
}

/** A request body or query checked against its schema: a 400 naming the fields otherwise. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConsoleRefusal(400, describeIssues(parsed.error));
  return parsed.data;
}

/**
 * A page for a person rather than a script: refusals become pages (403, 404) and a missing session
 * sends them to the sign-in (303 to /advisor), instead of a JSON error.
 */
export async function asPage(reply: FastifyReply, render: () => Promise<string>): Promise<FastifyReply> {
  try {
    return reply.type('text/html; charset=utf-8').send(await render());
  } catch (error) {
    if (!(error instanceof ConsoleRefusal)) throw error;
    if (error.statusCode === 401) return reply.redirect('/advisor', 303);
    const title = error.statusCode === 403 ? 'Not allowed' : error.statusCode === 404 ? 'Not available' : 'Not possible';
    return reply.code(error.statusCode).type('text/html; charset=utf-8').send(messagePage(title, error.message));
  }
}
