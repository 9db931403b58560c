import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { InboundSink } from '../../core/channel.js';
import { QueueUnavailableError } from '../../core/errors.js';
import type { GatewayChannel } from '../gateway-channel.js';
import { CHAT_PAGE } from './chat-page.js';
import { toInboundMessage, webMessageSchema } from './inbound.js';
import { WebSender, webKeys } from './outbound.js';

/**
 * The web chat at /chat: no account needed. Messages are posted as JSON and queued like any
 * other channel's; replies are streamed back over server-sent events from the session's outbox,
 * numbered, so a reconnecting browser (Last-Event-ID) gets what it missed and nothing twice.
 */
export class WebChatChannel implements GatewayChannel {
  readonly name = 'web';
  readonly sender: WebSender;
  private readonly listeners = new Map<string, Set<(kind: string) => void>>();

  constructor(
    private readonly sink: InboundSink,
    private readonly redis: Redis,
    /** A connection in subscriber mode, for this channel alone. */
    private readonly subscriber: Redis,
    private readonly prefix = 'lotse:',
  ) {
    this.sender = new WebSender(redis, prefix);
  }

  async start(): Promise<void> {
    const pattern = `${this.prefix}web:notify:*`;
    this.subscriber.on('pmessage', (_pattern: string, channel: string, kind: string) => {
      const session = channel.slice(pattern.length - 1);
      for (const listener of this.listeners.get(session) ?? []) listener(kind);
    });
    await this.subscriber.psubscribe(pattern);
  }

  async stop(): Promise<void> {
    for (const set of this.listeners.values()) for (const listener of set) listener('close');
    await this.subscriber.punsubscribe().catch(() => undefined);
  }

  routes(server: FastifyInstance): void {
    server.get('/chat', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(CHAT_PAGE));

    server.post('/chat/messages', async (request, reply) => {
      const parsed = webMessageSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      if (parsed.data.text.trim() === '' && !parsed.data.action) return reply.code(400).send({ error: 'text: write a message' });
      try {
        await this.sink.accept(toInboundMessage(parsed.data));
      } catch (error) {
        if (error instanceof QueueUnavailableError) return reply.code(503).send({ error: 'Lotse cannot take messages right now; please try again in a moment' });
        throw error;
      }
      return reply.code(202).send({ accepted: true });
    });

    server.get('/chat/events', async (request, reply) => {
      const session = (request.query as { session?: string }).session ?? '';
      if (!/^[A-Za-z0-9-]{16,64}$/.test(session)) return reply.code(400).send({ error: 'session: 16-64 letters, digits or hyphens' });
      const lastId = Number(request.headers['last-event-id'] ?? -1);
      let next = Number.isInteger(lastId) ? lastId + 1 : 0;
      const { outbox } = webKeys(this.prefix, session);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write('retry: 2000\n\n');
      let flushing = Promise.resolve();
      const flush = () =>
        (flushing = flushing.then(async () => {
          const items = await this.redis.lrange(outbox, next, -1).catch(() => []);
          for (const item of items) raw.write(`id: ${next++}\nevent: reply\ndata: ${item}\n\n`);
        }));
      const listener = (kind: string) => {
        if (kind === 'close') raw.end();
        else if (kind === 'typing') raw.write('event: typing\ndata: {}\n\n');
        else void flush();
      };
      const set = this.listeners.get(session) ?? new Set();
      set.add(listener);
      this.listeners.set(session, set);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        set.delete(listener);
        if (set.size === 0) this.listeners.delete(session);
      });
      await flush();
    });
  }

  describe(): string {
    return 'Web chat: /chat';
  }
}
