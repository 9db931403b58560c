import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayChannel } from '../channels/gateway-channel.js';
import type { Metrics } from './metrics.js';

export interface HttpServerOptions {
  channels: GatewayChannel[];
  metrics: Metrics;
  /** Ready when Redis answers and (in a worker) the index is loaded; the reason when not. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

/** The gateway's HTTP server: the channels' routes, health, readiness and metrics. */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const server = Fastify({ logger: false, bodyLimit: 1_048_576, forceCloseConnections: 'idle' });
  server.get('/', async (_request, reply) => reply.redirect('/chat'));
  server.get('/healthz', async () => ({ ok: true }));
  server.get('/readyz', async (_request, reply) => {
    const { ready, checks } = await options.readiness();
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  server.get('/metrics', async (_request, reply) => reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));
  for (const channel of options.channels) channel.routes?.(server);
  server.setErrorHandler((error, _request, reply) => {
    // A client's malformed JSON is a 400 with the reason; anything else is ours, without details.
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (error as Error).message });
    return reply.code(500).send({ error: 'internal error' });
  });
  return server;
}
