import { timingSafeEqual } from 'node:crypto';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { FastifyInstance } from 'fastify';
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { InboundSink } from '../../core/channel.js';
import { QueueUnavailableError } from '../../core/errors.js';
import type { GatewayChannel } from '../gateway-channel.js';
import type { TelegramConfig } from './config.js';
import { toInboundMessage } from './inbound.js';
import { TelegramSender } from './outbound.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Telegram through grammY: long polling with @grammyjs/runner (updates of one chat in order), or a
 * webhook checked with its secret token. An update is acknowledged only once its message is in
 * the queue: a webhook answers 503 when Redis is down (Telegram retries), polling waits and retries.
 */
export class TelegramChannel implements GatewayChannel {
  readonly name = 'telegram';
  readonly bot: Bot;
  readonly sender: TelegramSender;
  private runner?: RunnerHandle;
  private stopping = false;

  constructor(
    private readonly config: TelegramConfig,
    private readonly sink: InboundSink,
    private readonly onError: (error: unknown) => void,
    botInfo?: UserFromGetMe,
  ) {
    this.bot = new Bot(config.token, { client: { apiRoot: config.apiRoot, timeoutSeconds: 30 }, botInfo });
    this.sender = new TelegramSender(this.bot.api);
  }

  /** Queues the message of an update. Throws QueueUnavailableError when the queue cannot take it. */
  async accept(update: Update): Promise<void> {
    const message = toInboundMessage(update);
    if (!message) return;
    await this.sink.accept(message);
    if (update.callback_query) await this.bot.api.answerCallbackQuery(update.callback_query.id).catch(() => undefined);
  }

  routes(server: FastifyInstance): void {
    if (this.config.mode !== 'webhook') return;
    const secret = this.config.webhookSecret!;
    server.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
      if (!sameSecret(request.headers['x-telegram-bot-api-secret-token'], secret)) return reply.code(401).send({ ok: false, error: 'wrong or missing secret token' });
      const update = request.body as Update | undefined;
      if (!update || typeof update.update_id !== 'number') return reply.code(400).send({ ok: false, error: 'not a Telegram update' });
      try {
        await this.accept(update);
      } catch (error) {
        if (error instanceof QueueUnavailableError) return reply.code(503).send({ ok: false, error: 'queue unavailable, retry later' });
        throw error;
      }
      return reply.code(200).send({ ok: true });
    });
  }

  async start(): Promise<void> {
    await this.bot.init();
    if (this.config.mode === 'webhook') {
      if (this.config.publicUrl) {
        const url = new URL(TELEGRAM_WEBHOOK_PATH, this.config.publicUrl).toString();
        await this.bot.api.setWebhook(url, { secret_token: this.config.webhookSecret, allowed_updates: ['message', 'callback_query'] });
      }
      return;
    }
    // Polling and a webhook exclude each other at Telegram.
    await this.bot.api.deleteWebhook();
    this.bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
    this.bot.use(async (ctx) => {
      // Polling has no one to answer 503 to: wait for the queue, so the update is not lost.
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          return await this.accept(ctx.update);
        } catch (error) {
          this.onError(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)));
        }
      }
    });
    this.runner = run(this.bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'] } } });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.runner?.isRunning()) await this.runner.stop();
  }

  describe(): string {
    return this.config.mode === 'webhook'
      ? `Telegram: webhook at ${TELEGRAM_WEBHOOK_PATH}${this.config.publicUrl ? ` (registered at ${this.config.publicUrl})` : ' (set PUBLIC_URL to register it)'}`
      : 'Telegram: long polling';
  }
}
