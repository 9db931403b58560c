import { timingSafeEqual } from 'node:crypto';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { FastifyInstance } from 'fastify';
import { Bot, type Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { InboundSink } from '../../core/channel.js';
import { QueueUnavailableError } from '../../core/errors.js';
import type { GatewayChannel } from '../gateway-channel.js';
import { errorField } from '../../infra/logger.js';
import type { ChannelModule } from '../registry.js';
import { telegramConfig, type TelegramConfig } from './config.js';
import { TelegramMediaFetcher } from './media.js';
import { toInboundMessage } from './inbound.js';
import { TelegramSender } from './outbound.js';
import { parseTelegramUpdate, TelegramUpdateInvalidError } from './update-schema.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

/** Answering a button press only stops its spinner; not worth waiting long for. */
const CALLBACK_ANSWER_TIMEOUT_MS = 5_000;

/** What became of an update: its message queued, nothing Lotse handles, or refused as malformed. */
export type AcceptOutcome = { status: 'queued' } | { status: 'ignored' } | { status: 'invalid'; reason: string };

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The per-chat ordering key of a polled update, or none when its chat id is not a plain id. */
function chatKey(id: unknown): string | undefined {
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
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
    this.sender = new TelegramSender(this.bot.api, config.limits);
  }

  /**
   * Checks an update and queues its message. Never throws for a malformed update (it is reported
   * through onError without its content and skipped); throws QueueUnavailableError when the queue
   * cannot take the message, so that the caller can answer 503 or retry.
   */
  async accept(body: unknown): Promise<AcceptOutcome> {
    const parsed = parseTelegramUpdate(body);
    if (!parsed.ok) {
      this.onError(new TelegramUpdateInvalidError(parsed.reason));
      return { status: 'invalid', reason: parsed.reason };
    }
    const message = toInboundMessage(parsed.update);
    if (!message) return { status: 'ignored' };
    await this.sink.accept(message);
    const callback = parsed.update.callback_query;
    // Stops the button's spinner. Not awaited: a slow Bot API must not hold up the webhook's answer.
    if (message.action && callback) {
      // grammY types its signal with the abort-controller polyfill; at run time it takes a native one.
      const signal = AbortSignal.timeout(CALLBACK_ANSWER_TIMEOUT_MS) as unknown as Parameters<Api['answerCallbackQuery']>[2];
      void this.bot.api.answerCallbackQuery(callback.id, undefined, signal).catch(() => undefined);
    }
    return { status: 'queued' };
  }

  routes(server: FastifyInstance): void {
    if (this.config.mode !== 'webhook') return;
    const secret = this.config.webhookSecret!;
    server.post(
      TELEGRAM_WEBHOOK_PATH,
      {
        // Checked before the body is parsed: a stranger's body is never read.
        onRequest: async (request, reply) => {
          if (!sameSecret(request.headers['x-telegram-bot-api-secret-token'], secret)) return reply.code(401).send({ ok: false, error: 'wrong or missing secret token' });
        },
      },
      async (request, reply) => {
        let outcome: AcceptOutcome;
        try {
          outcome = await this.accept(request.body);
        } catch (error) {
          if (error instanceof QueueUnavailableError) return reply.code(503).send({ ok: false, error: 'queue unavailable, retry later' });
          throw error;
        }
        if (outcome.status === 'invalid') return reply.code(400).send({ ok: false, error: `not a valid Telegram update: ${outcome.reason}` });
        return reply.code(200).send({ ok: true });
      },
    );
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
    // The key is read before accept() checks the update: it must not throw on a malformed one.
    this.bot.use(sequentialize((ctx) => chatKey(ctx.chat?.id)));
    this.bot.use(async (ctx) => {
      // Polling has no one to answer 503 to: wait for the queue, so the update is not lost. Any
      // other error is a bug that retrying will not mend: after a few tries the update is skipped
      // (logged), so that it cannot hold up its chat for ever.
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          return await this.accept(ctx.update);
        } catch (error) {
          this.onError(error);
          if (!(error instanceof QueueUnavailableError) && attempt >= 4) return;
          await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)));
        }
      }
    });
    // A long poll of 20 s stays well inside the client's 30 s timeout, so idle polls are not aborted as hangs.
    this.runner = run(this.bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'], timeout: 20 } } });
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

/** Test seams: the bot's getMe answer, so that no call is made for it. */
export interface TelegramHooks {
  telegramBotInfo?: UserFromGetMe;
}

/** Telegram, on when TELEGRAM_BOT_TOKEN is set. One Bot API client per process: the gateway's when it runs here. */
export const telegramChannel: ChannelModule<TelegramConfig> = {
  name: 'telegram',
  settings: telegramConfig,
  open(settings, context) {
    const { logger, redactor } = context;
    const gateway = context.roles.gateway
      ? new TelegramChannel(
          settings,
          context.sink,
          (error) => logger.warn({ err: errorField(error, redactor) }, error instanceof TelegramUpdateInvalidError ? 'telegram: malformed update skipped' : 'telegram: update not queued yet, retrying'),
          context.hooks.telegramBotInfo,
        )
      : undefined;
    const api = gateway?.bot.api ?? new Bot(settings.token, { client: { apiRoot: settings.apiRoot, timeoutSeconds: 30 } }).api;
    return {
      gateway,
      sender: gateway?.sender ?? new TelegramSender(api, settings.limits),
      // Voice notes for transcription (within its timeout), files for advisors.
      media: new TelegramMediaFetcher(api, settings.token, settings.apiRoot, { timeoutMs: context.config.transcription?.timeoutMs }),
    };
  },
};
