import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { WebChatChannel } from '../../../src/channels/web/adapter.js';
import { QueueUnavailableError } from '../../../src/core/errors.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createMetrics } from '../../../src/infra/metrics.js';

describe('the web chat with Redis down', () => {
  it('answers at once: a session, then 503 for a message (the rate limits do not wait for Redis)', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const channel = new WebChatChannel({ accept: async () => Promise.reject(new QueueUnavailableError()) }, dead, dead, 'webchat-down:');
    const server = createHttpServer({ channels: [channel], metrics: createMetrics(), readiness: async () => ({ ready: false, checks: {} }) });
    try {
      const started = Date.now();
      const issued = await server.inject({ method: 'POST', url: '/chat/session', payload: {} });
      expect(issued.statusCode).toBe(204);
      const cookie = `lotse_chat=${issued.cookies.find((c) => c.name === 'lotse_chat')!.value}`;
      const chat = await server.inject({ method: 'POST', url: '/chat/messages', headers: { cookie }, payload: { id: 'm1', text: 'hello' } });
      expect(chat.statusCode).toBe(503);
      expect(chat.json().error).toMatch(/try again/);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await server.close();
      dead.disconnect();
    }
  });
});
