import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayChannel } from '../../../src/channels/gateway-channel.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createMetrics } from '../../../src/infra/metrics.js';

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A channel with a route that declares JSON schemas, which none of Lotse's do (they validate with zod). */
const schemaChannel = {
  name: 'schemas',
  sender: { channel: 'schemas', send: async () => undefined },
  start: async () => undefined,
  stop: async () => undefined,
  describe: () => 'schemas',
  routes(app: FastifyInstance) {
    app.post(
      '/points',
      {
        schema: {
          body: { type: 'object', required: ['points'], properties: { points: { type: 'integer', minimum: 0 } } },
          response: { 200: { type: 'object', properties: { enough: { type: 'boolean' } } } },
        },
      },
      async (request) => ({ enough: (request.body as { points: number }).points >= 6, notInTheSchema: 'dropped by the serializer' }),
    );
  },
} as unknown as GatewayChannel;

describe("the HTTP server's JSON-schema compilers (loaded only when a route declares a schema)", () => {
  it('validate a request body and serialize a response as fastify does by default', async () => {
    server = createHttpServer({ channels: [schemaChannel], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }) });
    const bad = await server.inject({ method: 'POST', url: '/points', payload: { points: 'many' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'body/points must be integer' });
    const good = await server.inject({ method: 'POST', url: '/points', payload: { points: 7 } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ enough: true });
  });
});
