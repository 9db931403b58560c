import rateLimit, { normalizeIP, type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ChatRefusal } from './chat-refusal.js';
import { readSession } from './session-cookie.js';

export type ChatRoute = 'messages' | 'events' | 'session';

/** Requests per window for one route: per session (a browser) and per IP address (all browsers behind it). */
export interface RouteLimit {
  perSession: number;
  perIp: number;
}

export type WebChatRateLimits = Record<ChatRoute, RouteLimit>;

/**
 * Per minute. A person types a few messages a minute; a whole counselling centre or a mobile
 * carrier's NAT shares one address, hence the wider per-IP limits. An event stream reconnects
 * every 2 s while a network is flaky.
 */
export const DEFAULT_RATE_LIMITS: WebChatRateLimits = {
  messages: { perSession: 20, perIp: 180 },
  events: { perSession: 60, perIp: 300 },
  session: { perSession: 30, perIp: 120 },
};

const ROUTE_OF: Record<string, ChatRoute> = { '/chat/messages': 'messages', '/chat/events': 'events', '/chat/session': 'session' };
const routeOf = (request: FastifyRequest): ChatRoute => ROUTE_OF[request.routeOptions.url ?? ''] ?? 'messages';

const REASONS: Record<ChatRoute, (after: string) => string> = {
  messages: (after) => `You are sending messages faster than Lotse can read them. Please wait ${after} and send again.`,
  events: (after) => `This browser reconnected too often. Please wait ${after} and reload the page.`,
  session: (after) => `Too many new chats from here. Please wait ${after} and reload the page.`,
};

export interface RateLimitSettings {
  redis: Redis;
  /** Key prefix of the counters, e.g. "lotse:web:rate:". */
  keyPrefix: string;
  limits: WebChatRateLimits;
  windowMs: number;
}

/**
 * Registers both limiters and then the routes, which go in a scope inside both. The counters live
 * in Redis, so the limits hold across gateway processes. @fastify/rate-limit runs one limiter per
 * route and registration, so each limiter is its own registration; the per-IP one, outermost,
 * counts first. Without Redis the requests pass at once, rather than wait for a connection that
 * is not there, and meet the queue's own 503; nothing can be queued then anyway.
 */
export function withRateLimits(settings: RateLimitSettings, routes: (scope: FastifyInstance) => void) {
  const redisAway = () => settings.redis.status !== 'ready';
  const common = (by: 'ip' | 'session'): RateLimitPluginOptions => ({
    global: true,
    redis: settings.redis,
    nameSpace: `${settings.keyPrefix}${by}:`,
    timeWindow: settings.windowMs,
    skipOnError: true,
    errorResponseBuilder: (request, context) => new ChatRefusal(429, REASONS[routeOf(request)](context.after)),
  });
  return async (scope: FastifyInstance) => {
    await scope.register(rateLimit, {
      ...common('ip'),
      keyGenerator: (request) => `${routeOf(request)}:${normalizeIP(request.ip)}`,
      allowList: () => redisAway(),
      max: (request) => settings.limits[routeOf(request)].perIp,
    });
    await scope.register(async (inner) => {
      await inner.register(rateLimit, {
        ...common('session'),
        // Without a session there is nothing to count here; the handler refuses such requests anyway.
        keyGenerator: (request) => {
          const session = readSession(request);
          return session ? `${routeOf(request)}:${session}` : '';
        },
        allowList: (_request, key) => key === '' || redisAway(),
        max: (request) => settings.limits[routeOf(request)].perSession,
      });
      routes(inner);
    });
  };
}
