import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { WebChatChannel, type WebChatOptions } from '../../../src/channels/web/adapter.js';
import type { InboundSink } from '../../../src/core/channel.js';
import type { InboundMessage } from '../../../src/core/message.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createMetrics } from '../../../src/infra/metrics.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';
import { takeSseEvents, type SseEvent } from '../../helpers/sse-events.js';

/**
 * The web chat alone on the test Redis: a recording sink instead of the queue (or the sink given),
 * the real HTTP server, a key prefix of its own; `close` removes every key made under that prefix.
 * The server's error log is kept in `errorLog`.
 */
export async function webChatApp(options: WebChatOptions = {}, sink?: InboundSink) {
  const prefix = `webchat-test-${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(inject('redisUrl'));
  const subscriber = new Redis(inject('redisUrl'));
  const accepted: InboundMessage[] = [];
  const errorLog: string[] = [];
  const logger = createLogger('error', new Writable({ write: (chunk, _encoding, done) => void (errorLog.push(String(chunk)), done()) }));
  const channel = new WebChatChannel(sink ?? { accept: async (message) => void accepted.push(message) }, redis, subscriber, prefix, options);
  const server = createHttpServer({ channels: [channel], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }), logger });
  await channel.start();
  await server.ready();
  let url: string | undefined;

  return {
    prefix,
    redis,
    channel,
    server,
    accepted,
    errorLog,
    /** Listens on a free port (event streams need a real socket); the base URL. */
    async listen(): Promise<string> {
      url ??= await server.listen({ port: 0, host: '127.0.0.1' });
      return url;
    },
    /** A fresh session: the cookie header to send with it, and its id. */
    async session(remoteAddress = '127.0.0.1'): Promise<{ cookie: string; id: string }> {
      const response = await server.inject({ method: 'POST', url: '/chat/session', payload: {}, remoteAddress });
      const id = response.cookies.find((c) => c.name === 'lotse_chat')?.value;
      if (response.statusCode !== 204 || !id) throw new Error(`no session: ${response.statusCode} ${response.body}`);
      return { cookie: `lotse_chat=${id}`, id };
    },
    async keys(): Promise<string[]> {
      return scanKeys(redis, `${prefix}*`);
    },
    /** Stops everything and deletes the keys made; resolves to the keys still there (none, or a leak). */
    async close(): Promise<string[]> {
      await channel.stop();
      await server.close();
      await deleteKeys(redis, prefix);
      const left = await scanKeys(redis, `${prefix}*`);
      await Promise.all([redis.quit(), subscriber.quit()]);
      return left;
    },
  };
}

export type WebChatApp = Awaited<ReturnType<typeof webChatApp>>;

export { scanKeys } from '../../helpers/redis-keys.js';

export type { SseEvent } from '../../helpers/sse-events.js';

/** A minimal server-sent events client over a real socket, to see exactly what a browser gets. */
export function openEvents(baseUrl: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let request: http.ClientRequest | undefined;
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request = http.get(`${baseUrl}/chat/events`, { headers }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        return;
      }
      resolve({ status: 200, body: '' });
      let buffer = '';
      res.on('data', (chunk: string) => {
        const taken = takeSseEvents(buffer + chunk);
        buffer = taken.rest;
        events.push(...taken.events);
        for (const wake of waiters.splice(0)) wake();
      });
      res.on('end', markEnded);
      res.on('error', () => undefined);
    });
    request.on('error', reject);
  });
  return {
    response,
    events,
    /** Resolves when the server ends the stream. */
    ended,
    /** Waits until `count` events arrived (or fails after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 5_000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} events, got ${events.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events.slice(0, count);
    },
    close(): void {
      request?.destroy();
    },
  };
}
