import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayChannel } from '../../../src/channels/gateway-channel.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createMetrics } from '../../../src/infra/metrics.js';

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A channel whose routes fail the way a bug would: reading the body, then throwing. */
const failingChannel = {
  name: 'failing',
  sender: { channel: 'failing', send: async () => undefined },
  start: async () => undefined,
  stop: async () => undefined,
  describe: () => 'failing',
  routes(app: FastifyInstance) {
    app.post('/boom', async (request) => {
      const body = request.body as { phone: string };
      throw new Error(`could not reach ${body.phone}`);
    });
    app.post('/boom-plain', async () => {
      throw Object.assign(new TypeError("Cannot read properties of undefined (reading 'type')"), { code: 'ERR_SOMETHING' });
    });
  },
} as unknown as GatewayChannel;

function serverWithCapturedLog() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
  server = createHttpServer({
    channels: [failingChannel],
    metrics: createMetrics(),
    readiness: async () => ({ ready: true, checks: {} }),
    logger: createLogger('info', destination),
  });
  return { server, lines };
}

const STORY = 'I fled in March and my brother is still in the camp near Tripoli';

describe('HTTP 500s', () => {
  it('answer with a generic body and write one redacted log line, without the request body, query or headers', async () => {
    const { server, lines } = serverWithCapturedLog();
    const response = await server.inject({
      method: 'POST',
      url: '/boom?session=session-secret-0123456789',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bearer-secret' },
      payload: JSON.stringify({ text: STORY, phone: '+49 151 23456789' }),
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal error' });
    expect(response.body).not.toContain('23456789');

    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    const entry = JSON.parse(line) as { level: number; msg: string; route: string; method: string; status: number; err: { message: string; name: string; frames: string[] } };
    expect(entry).toMatchObject({ level: 50, msg: 'http request failed', route: '/boom', method: 'POST', status: 500 });
    expect(entry.err.message).toBe('could not reach [phone]');
    expect(entry.err.frames.length).toBeGreaterThan(0);
    for (const secret of ['23456789', 'Tripoli', 'brother', 'session-secret', 'bearer-secret']) expect(line).not.toContain(secret);
  });

  it('keep the error’s code and name', async () => {
    const { server, lines } = serverWithCapturedLog();
    const response = await server.inject({ method: 'POST', url: '/boom-plain', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { code: 'ERR_SOMETHING', name: 'TypeError' }, route: '/boom-plain' });
  });

  it('are not confused with a client’s mistakes: a malformed body is a 400 with its reason, and not logged', async () => {
    const { server, lines } = serverWithCapturedLog();
    const response = await server.inject({ method: 'POST', url: '/boom', headers: { 'content-type': 'application/json' }, payload: `{"text": "${STORY}"` });
    expect(response.statusCode).toBe(400);
    expect(lines).toEqual([]);
  });

  it('are still answered generically without a logger given', async () => {
    server = createHttpServer({ channels: [failingChannel], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }) });
    const response = await server.inject({ method: 'POST', url: '/boom-plain', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal error' });
  });
});
