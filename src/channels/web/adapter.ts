import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { InboundSink } from '../../core/channel.js';
import { QueueUnavailableError } from '../../core/errors.js';
import { Messages } from '../../i18n/i18n.js';
import type { GatewayChannel } from '../gateway-channel.js';
import type { ChannelModule } from '../registry.js';
import { chatErrorHandler } from './chat-refusal.js';
import { chatPage } from './chat-page.js';
import { describeIssues, toInboundMessage, webMessageSchema, webSessionSchema } from './inbound.js';
import { OpenStreams } from './open-streams.js';
import { pageLanguages } from './page-labels.js';
import { WebSender, webKeys } from './outbound.js';
import { DEFAULT_RATE_LIMITS, withRateLimits, type WebChatRateLimits } from './rate-limits.js';
import { ReplyStream } from './reply-stream.js';
import { newSessionId, readSession, setSessionCookie } from './session-cookie.js';

export interface WebChatOptions {
  /** Event streams one session may hold open in this process (default 3). */
  maxStreamsPerSession?: number;
  /** Event streams this process holds open in all (default 2000). */
  maxStreams?: number;
  /** Largest request body in bytes (default 64 KiB); a larger one gets 413. */
  maxBodyBytes?: number;
  /** Requests per window, per route, per session and per IP address (default DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<WebChatRateLimits>;
  /** The rate limits' window in milliseconds (default 60 000). */
  rateWindowMs?: number;
  /** Milliseconds between an event stream's keep-alive comments (default 25 000). */
  heartbeatMs?: number;
  /** Lotse's words: the page's own (the `web` object of each locale) and the labels of a sources list (default: read from src/i18n/locales). */
  messages?: Messages;
}

const NO_SESSION = { error: 'Your chat session has ended. Please reload the page.' };
/** `code` lets the page say it in the person's language. */
const TOO_MANY_STREAMS = {
  session: { error: 'Lotse is open in too many windows of this browser. Please close one and reload this page.', code: 'windows' },
  process: { error: 'Lotse is very busy right now. Please try again in a minute.', code: 'busy' },
};

/**
 * The web chat at /chat: no account needed. The server issues the session (the web user's id) in
 * an HttpOnly cookie; messages are posted as JSON and queued like any other channel's; replies
 * are streamed back over server-sent events from the session's outbox stream.
 */
export class WebChatChannel implements GatewayChannel {
  readonly name = 'web';
  readonly sender: WebSender;
  private readonly streams: OpenStreams;
  private readonly settings: Required<Omit<WebChatOptions, 'rateLimits' | 'messages'>> & { rateLimits: WebChatRateLimits };
  /** The page, built once: its words in all languages are in it. */
  private readonly page: string;
  private readonly onNotify = (_pattern: string, channel: string, message: string) => this.streams.signal(channel.slice(this.notifyPattern.length - 1), message);

  constructor(
    private readonly sink: InboundSink,
    private readonly redis: Redis,
    /** A connection in subscriber mode, for this channel alone. */
    private readonly subscriber: Redis,
    private readonly prefix = 'lotse:',
    options: WebChatOptions = {},
  ) {
    const messages = options.messages ?? Messages.create();
    this.sender = new WebSender(redis, prefix, messages);
    this.page = chatPage(pageLanguages(messages));
    this.settings = {
      maxStreamsPerSession: options.maxStreamsPerSession ?? 3,
      maxStreams: options.maxStreams ?? 2000,
      maxBodyBytes: options.maxBodyBytes ?? 65_536,
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
      rateWindowMs: options.rateWindowMs ?? 60_000,
      heartbeatMs: options.heartbeatMs ?? 25_000,
    };
    this.streams = new OpenStreams(this.settings.maxStreamsPerSession, this.settings.maxStreams);
  }

  private get notifyPattern(): string {
    return webKeys(this.prefix, '*').notify;
  }

  async start(): Promise<void> {
    this.subscriber.on('pmessage', this.onNotify);
    await this.subscriber.psubscribe(this.notifyPattern);
  }

  async stop(): Promise<void> {
    this.streams.signalAll('close');
    this.subscriber.off('pmessage', this.onNotify);
    await this.subscriber.punsubscribe().catch(() => undefined);
  }

  routes(server: FastifyInstance): void {
    // Its own scope: the cookie and rate-limit plugins and the error handler stay with the web chat.
    void server.register(async (scope) => {
      // Registered once per server: a second registration (the root's, one day) would throw.
      if (!scope.hasRequestDecorator('cookies')) await scope.register(cookie);
      scope.setErrorHandler(chatErrorHandler(this.settings.maxBodyBytes));
      scope.get('/chat', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(this.page));
      const limits = { redis: this.redis, keyPrefix: `${this.prefix}web:rate:`, limits: this.settings.rateLimits, windowMs: this.settings.rateWindowMs };
      await scope.register(
        withRateLimits(limits, (inner) => {
          inner.post('/chat/session', { bodyLimit: this.settings.maxBodyBytes }, (request, reply) => this.issueSession(request, reply));
          inner.post('/chat/messages', { bodyLimit: this.settings.maxBodyBytes }, (request, reply) => this.acceptMessage(request, reply));
          inner.get('/chat/events', (request, reply) => this.streamReplies(request, reply));
        }),
      );
    });
  }

  describe(): string {
    return 'Web chat: /chat';
  }

  /** Called by the page on load: keeps the browser's session (renewed) or issues one. */
  private async issueSession(request: FastifyRequest, reply: FastifyReply) {
    const parsed = webSessionSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: describeIssues(parsed.error) });
    setSessionCookie(request, reply, readSession(request) ?? newSessionId());
    return reply.code(204).send();
  }

  private async acceptMessage(request: FastifyRequest, reply: FastifyReply) {
    const session = readSession(request);
    if (!session) return reply.code(401).send(NO_SESSION);
    const parsed = webMessageSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: describeIssues(parsed.error) });
    if (parsed.data.text.trim() === '' && !parsed.data.action) return reply.code(400).send({ error: 'text: write a message' });
    try {
      await this.sink.accept(toInboundMessage(session, parsed.data));
    } catch (error) {
      if (error instanceof QueueUnavailableError) return reply.code(503).send({ error: 'Lotse cannot take messages right now. Please try again in a moment.' });
      throw error;
    }
    setSessionCookie(request, reply, session);
    return reply.code(202).send({ accepted: true });
  }

  private async streamReplies(request: FastifyRequest, reply: FastifyReply) {
    const session = readSession(request);
    if (!session) return reply.code(401).send(NO_SESSION);
    const raw = reply.raw;
    const stream = new ReplyStream(this.redis, webKeys(this.prefix, session).outbox, raw, this.settings.heartbeatMs);
    const opened = this.streams.open(session, (signal) => stream.signal(signal));
    if (!opened.ok) return reply.code(429).send(TOO_MANY_STREAMS[opened.reason]);
    reply.hijack();
    raw.on('close', opened.close);
    // The browser may have left before the stream was registered.
    if (raw.destroyed || request.raw.socket?.destroyed) {
      opened.close();
      return stream.end();
    }
    await stream.start(request.headers['last-event-id']).catch(() => stream.end());
  }
}

/** The web chat is always on: it needs no platform account. */
export const webChatChannel: ChannelModule<true> = {
  name: 'web',
  settings: () => true,
  open(_settings, context) {
    if (!context.roles.gateway) return { sender: new WebSender(context.redis, context.keyPrefix) };
    const channel = new WebChatChannel(context.sink, context.redis, context.connect(), context.keyPrefix);
    return { gateway: channel, sender: channel.sender };
  },
};
