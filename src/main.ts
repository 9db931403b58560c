import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import { Bot, type Api } from 'grammy';
import { TelegramChannel } from './channels/telegram/adapter.js';
import { telegramConfig, type TelegramConfig } from './channels/telegram/config.js';
import { TelegramMediaFetcher } from './channels/telegram/media.js';
import { TelegramSender } from './channels/telegram/outbound.js';
import { OpenAiTranscriber } from './transcription/openai-transcriber.js';
import { WebChatChannel } from './channels/web/adapter.js';
import { WebSender, webKeys } from './channels/web/outbound.js';
import type { GatewayChannel } from './channels/gateway-channel.js';
import type { Config } from './config/config.js';
import type { ChannelSender } from './core/channel.js';
import type { ErasureParticipant } from './core/ports.js';
import { createEngine, redisStores } from './conversation/create-engine.js';
import type { HandleMessage } from './core/conversation-pipeline.js';
import { createHttpServer } from './infra/http-server.js';
import { errorField, logRecovered, type Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { createRedis } from './infra/redis.js';
import { PiiRedactor } from './privacy/pii-redactor.js';
import { startConversationWorkers } from './queue/conversation-worker.js';
import { MessageQueues } from './queue/message-queues.js';
import { startOutboundWorker } from './queue/outbound-worker.js';
import { openKnowledge } from './retrieval/open-knowledge.js';

export interface Roles {
  /** HTTP server, webhooks, polling, web chat. */
  gateway: boolean;
  /** The conversation worker (loads the knowledge index). */
  worker: boolean;
  /** The outbound sender. */
  sender: boolean;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  redisUrl: string;
  roles: Roles;
  /** Key prefixes: BullMQ's (default "bull") and Lotse's own (default "lotse:"); tests set their own. */
  queuePrefix?: string;
  keyPrefix?: string;
  /** Inbound partitions (default 16). */
  partitions?: number;
  /** Telegram's getMe answer, to skip the call (tests). */
  telegramBotInfo?: UserFromGetMe;
  /** Replaces the conversation pipeline (given the queues to reply through): the benchmark's echo baseline runs the same queues doing no work. */
  handle?: (queues: MessageQueues) => HandleMessage;
}

export interface RunningLotse {
  server?: FastifyInstance;
  /** The gateway's base URL once it listens. */
  url?: string;
  queues: MessageQueues;
  channels: GatewayChannel[];
  stop(): Promise<void>;
}

/**
 * The composition root: reads nothing itself, wires everything from the parsed config by
 * constructor injection, and starts the roles asked for. Stop is graceful: the server stops taking
 * requests, polling stops, in-flight jobs finish and waiting ones stay queued.
 */
export async function startLotse(options: StartOptions): Promise<RunningLotse> {
  const { config, logger, roles } = options;
  const keyPrefix = options.keyPrefix ?? 'lotse:';
  const redactor = new PiiRedactor();
  const metrics = createMetrics();
  const client = createRedis(options.redisUrl, 'client');
  const producer = createRedis(options.redisUrl, 'producer');
  const workerConnection = createRedis(options.redisUrl, 'worker');
  const connections: Redis[] = [client, producer, workerConnection];
  for (const connection of connections) connection.on('error', (error) => logger.warn({ err: errorField(error, redactor) }, 'redis connection error'));
  await client.ping();

  const queues = new MessageQueues(producer, {
    prefix: options.queuePrefix,
    partitions: options.partitions,
    onError: (error) => logger.warn({ err: errorField(error, redactor) }, 'queue connection error'),
  });
  await queues.init();
  const logFailure = (queue: string) => (error: Error, jobId: string | undefined) => {
    metrics.failures.inc({ queue });
    logger.warn({ err: errorField(error, redactor), queue, jobId }, 'job failed');
  };

  const channels: GatewayChannel[] = [];
  const senders: ChannelSender[] = [];
  const telegram = telegramConfig(config);
  let telegramChannel: TelegramChannel | undefined;
  let telegramApi: Api | undefined;
  /** One Bot API client per process: the gateway's when it runs here, else one made for sending and fetching voice notes. */
  const telegramApiFor = (settings: TelegramConfig) => (telegramApi ??= telegramChannel?.bot.api ?? new Bot(settings.token, { client: { apiRoot: settings.apiRoot } }).api);
  if (roles.gateway) {
    const subscriber = createRedis(options.redisUrl, 'client');
    connections.push(subscriber);
    const sink = {
      accept: async (message: Parameters<MessageQueues['accept']>[0]) => {
        await queues.accept(message);
        metrics.inbound.inc({ channel: message.channel });
      },
    };
    channels.push(new WebChatChannel(sink, client, subscriber, keyPrefix));
    if (telegram) {
      telegramChannel = new TelegramChannel(telegram, sink, (error) => logger.warn({ err: errorField(error, redactor) }, 'telegram: update not queued yet, retrying'), options.telegramBotInfo);
      channels.push(telegramChannel);
    }
    senders.push(...channels.map((channel) => channel.sender));
  } else {
    senders.push(new WebSender(client, keyPrefix));
    if (telegram) senders.push(new TelegramSender(telegramApiFor(telegram)));
  }

  const workers: Worker[] = [];
  let indexLoaded = false;
  if (roles.worker) {
    const { retriever, built } = await openKnowledge(config);
    if (built) logger.info({ chunks: built.chunks }, 'built the knowledge index');
    indexLoaded = true;
    const erasure: ErasureParticipant[] = [
      { name: 'queued jobs', erase: (key) => queues.eraseConversation(key) },
      { name: 'web outbox', erase: async (key) => void (key.startsWith('web:') && (await client.del(webKeys(keyPrefix, key.slice(4)).outbox))) },
    ];
    const { handle, deps } = createEngine({
      config,
      retriever,
      stores: redisStores(client, config, keyPrefix),
      erasure,
      onError: logRecovered(logger, redactor),
    });
    deps.outbox = queues;
    if (config.transcription) {
      const fetchers = telegram ? [new TelegramMediaFetcher(telegramApiFor(telegram), telegram.token, telegram.apiRoot)] : [];
      deps.transcriber = new OpenAiTranscriber(config.transcription, fetchers);
    }
    const run: HandleMessage = options.handle?.(queues) ?? handle;
    const timed: typeof handle = async (message) => {
      const end = metrics.turns.startTimer();
      const result = await run(message);
      end();
      if (result.escalation) metrics.escalations.inc({ reason: result.escalation.reason });
      return result;
    };
    workers.push(...startConversationWorkers(workerConnection, queues, timed, { prefix: options.queuePrefix, onFailed: logFailure('inbound') }));
  }
  if (roles.sender) {
    workers.push(startOutboundWorker(workerConnection, client, senders, { prefix: options.queuePrefix, markerPrefix: keyPrefix, onFailed: logFailure('outbound') }));
  }

  let server: FastifyInstance | undefined;
  let url: string | undefined;
  if (roles.gateway) {
    server = createHttpServer({
      channels,
      metrics,
      readiness: async () => {
        const redis = await client.ping().then(() => true, () => false);
        const checks: Record<string, boolean> = { redis };
        if (roles.worker) checks.index = indexLoaded;
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });
    for (const channel of channels) await channel.start();
    url = await server.listen({ port: config.env.PORT, host: config.env.HOST });
  }

  let stopped = false;
  return {
    server,
    url,
    queues,
    channels,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Channels first: polling stops and open event streams end, so that the server can close.
      for (const channel of channels) await channel.stop().catch(() => undefined);
      await server?.close();
      // close() lets in-flight jobs finish; waiting jobs stay in Redis for the next worker.
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
