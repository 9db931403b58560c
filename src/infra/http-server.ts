import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { GatewayChannel } from '../channels/gateway-channel.js';
import type { Redactor } from '../core/ports.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import { createLogger, errorField, type Logger } from './logger.js';
import { METRICS_REFUSED, metricsAccess } from './metrics-access.js';
import type { Metrics } from './metrics.js';

export interface HttpServerOptions {
  channels: GatewayChannel[];
  metrics: Metrics;
  /** Ready when Redis answers and (in a worker) the index is loaded; the reason when not. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /**
   * Where 5xx errors are written: one line each, redacted, never the request body. Without one
   * they still go out, through an error-level logger of their own: never swallowed.
   */
  logger?: Logger;
  /** X-Forwarded-For hops to believe behind a reverse proxy (TRUST_PROXY; default none). */
  trustProxy?: boolean | number | string[];
  /** Removes personal data from logged error messages (default: the PiiRedactor). */
  redactor?: Redactor;
  /** METRICS_TOKEN: /metrics then answers only a scrape that sends it as a bearer token. */
  metricsToken?: string;
}

/** Where in our code an error was thrown: the stack's frames without its message line, which may quote data. */
function stackFrames(error: unknown): string[] | undefined {
  const stack = (error as Error | undefined)?.stack;
  if (typeof stack !== 'string') return undefined;
  return stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10).map((line) => line.trim());
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Builder = (externalSchemas: unknown, options: unknown) => unknown;

/** One of fastify's compiler builders (a dependency of fastify's, not Lotse's), loaded on its first use. */
function onFirstUse(name: string): Builder {
  let builder: Builder | undefined;
  return (externalSchemas, options) => {
    builder ??= (createRequire(createRequire(import.meta.url).resolve('fastify'))(name) as () => Builder)();
    return builder(externalSchemas, options);
  };
}

/**
 * Fastify's JSON-schema compilers (Ajv and fast-json-stringify, some 800 modules: about 0.1 s of every
 * start) are loaded only when a route declares a JSON schema. Lotse's routes validate their input
 * with zod and declare none, so they are never loaded; should one ever declare one, it gets the
 * compilers fastify builds by default.
 */
const compilersFactory = { buildValidator: onFirstUse('@fastify/ajv-compiler'), buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler') } as unknown as CompilersFactory;

/** The gateway's HTTP server: the channels' routes, health, readiness and metrics. */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const redactor = options.redactor ?? new PiiRedactor();
  const logger = options.logger ?? createLogger('error');
  const server = Fastify({ logger: false, bodyLimit: 1_048_576, forceCloseConnections: 'idle', trustProxy: trustProxy(options.trustProxy), schemaController: { compilersFactory } });
  server.get('/', async (_request, reply) => reply.redirect('/chat'));
  server.get('/healthz', async () => ({ ok: true }));
  server.get('/readyz', async (_request, reply) => {
    const { ready, checks } = await options.readiness();
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  const mayReadMetrics = metricsAccess(options.metricsToken);
  server.get('/metrics', async (request, reply) => {
    if (!mayReadMetrics(request.headers.authorization)) return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain').send(METRICS_REFUSED);
    return reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  for (const channel of options.channels) channel.routes?.(server);
  server.setErrorHandler((error, request, reply) => {
    // A client's mistake (malformed JSON, too large, wrong type) is a 400-range answer with the reason.
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (error as Error).message });
    // Anything else is ours: logged for us (the route's pattern, not its URL, which may carry a
    // session; no body, no headers), answered without details.
    logger.error(
      { err: { ...errorField(error, redactor), frames: stackFrames(error) }, method: request.method, route: request.routeOptions.url, status: 500, reqId: request.id },
      'http request failed',
    );
    return reply.code(500).send({ error: 'internal error' });
  });
  return server;
}

/** Fastify's trustProxy from the setting: a hop count becomes "believe the first n hops" (what proxy-addr does with a number). */
function trustProxy(setting: boolean | number | string[] | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting ?? false;
}
