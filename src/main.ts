import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import type { UserFromGetMe } from 'grammy/types';
import type { GatewayChannel } from './channels/gateway-channel.js';
import type { Config } from './config/config.js';
import type { ChannelSender } from './core/channel.js';
import type { ErasureParticipant, MediaFetcher } from './core/ports.js';
import { openChannels } from './channels/registry.js';
import type { WebClientFactory } from './channels/whatsapp/web/client.js';
import { createEngine, createTextTranslator, redisStores } from './conversation/create-engine.js';
import type { HandleMessage } from './core/conversation-pipeline.js';
import { createHttpServer } from './infra/http-server.js';
import { errorField, logRecovered, type Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { asRedis, connectRedis, detectCluster, whenReady, type RedisConnection } from './infra/redis.js';
import { PiiRedactor } from './privacy/pii-redactor.js';
import { createLogId } from './infra/log-ids.js';
import { CaseRepository } from './handoff/case-repository.js';
import type { AdvisorTransport } from './handoff/handoff-api.js';
import { HandoffService } from './handoff/handoff-service.js';
import { RedisHandoffSignals } from './handoff/handoff-signals.js';
import { createSlaQueue, HANDOFF_QUEUES, startNoticeWorker, startSlaWorker } from './handoff/handoff-workers.js';
import { PoolDirectory } from './handoff/pools.js';
import type { SlackAdvisorApp } from './handoff/advisors/slack/app.js';
import { RedisCaseEventFeed } from './handoff/advisors/console/live-updates.js';
import { screenModel, screenModelReady } from './escalation/learned/screen-model.js';
import { AdvisorConsole } from './handoff/advisors/console/routes.js';
import { PassageSearch } from './handoff/passage-search.js';
import type { Retriever } from './core/knowledge.js';
import { slackConfig } from './handoff/advisors/slack/config.js';
import { LaneQueue } from './queue/lanes/lane-queue.js';
import { Messages } from './i18n/i18n.js';
import { I18nTranslator } from './i18n/translator.js';
import { startConversationWorker } from './queue/conversation-worker.js';
import { DeadLetters } from './queue/dead-letters.js';
import { startLaneSweeper } from './queue/lanes/lane-sweeper.js';
import { MessageQueues } from './queue/message-queues.js';
import { startOutboundWorker, startTypingWorker } from './queue/outbound-worker.js';
import { SendThrottle } from './queue/send-throttle.js';
import { conversationKey, type OutboundMessage } from './core/message.js';
import { RTL_LANGUAGES } from './core/knowledge.js';
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
  /** Lane leases and retry waits (tests shorten them; defaults 10 s and 1 s doubling). */
  leaseMs?: number;
  backoffMs?: (attempt: number) => number;
  /** Telegram's getMe answer, to skip the call (tests). */
  telegramBotInfo?: UserFromGetMe;
  /** A whatsapp-web.js client factory instead of Chromium (tests). */
  whatsappWebClient?: WebClientFactory;
  /** Advisor-side transports shown every case event (the Slack app's; tests add their own). */
  advisorTransports?: AdvisorTransport[];
  /** Replaces the conversation pipeline (given the queues to reply through): the benchmark's echo baseline runs the same queues doing no work. */
  handle?: (queues: MessageQueues) => HandleMessage;
}

export interface RunningLotse {
  /** The handoff service (cases, and what advisors do with them). */
  handoff: HandoffService;
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
  // One Redis or a Redis Cluster, as the server says (INFO cluster): REDIS_URL is all it takes.
  const cluster = await detectCluster(options.redisUrl);
  const client = connectRedis(options.redisUrl, 'client', cluster);
  const producer = connectRedis(options.redisUrl, 'producer', cluster);
  const workerConnection = connectRedis(options.redisUrl, 'worker', cluster);
  const connections: RedisConnection[] = [client, producer, workerConnection];
  for (const connection of connections) connection.on('error', (error) => logger.warn({ err: errorField(error, redactor) }, 'redis connection error'));
  await client.ping();
  await whenReady(producer);

  /** A connection of its own (subscriptions, blocking commands), logged like the others and closed at stop. */
  const extraConnection = () => {
    const connection = asRedis(connectRedis(options.redisUrl, 'client', cluster));
    connection.on('error', (error) => logger.warn({ err: errorField(error, redactor) }, 'redis connection error'));
    connections.push(connection);
    return connection;
  };
  const logId = await createLogId(asRedis(client), keyPrefix);
  const queues = new MessageQueues(producer, {
    bullPrefix: options.queuePrefix,
    keyPrefix,
    userRateLimit: config.env.USER_RATE_LIMIT,
    onError: (error) => logger.warn({ err: errorField(error, redactor) }, 'queue connection error'),
  });
  const deadLetters = new DeadLetters(client, keyPrefix);
  const sweepers: { stop(): void }[] = [];
  /** A failed attempt that will be retried: logged with a keyed hash of the conversation, never its id or text. */
  const lastLogged = new Map<string, number>();
  /** Errors outside a turn or a send, logged redacted, at most once per 10 s per kind (a Redis outage would repeat them hundreds of times). */
  const logError = (kind: string) => (error: unknown) => {
    if (Date.now() - (lastLogged.get(kind) ?? 0) < 10_000) return;
    lastLogged.set(kind, Date.now());
    logger.warn({ err: errorField(error, redactor), kind }, 'queue error');
  };
  const logRetry = (queue: string) => (error: unknown, lane: string, attempt: number) => {
    metrics.failures.inc({ queue });
    logger.warn({ err: errorField(error, redactor), queue, conversation: logId(lane), attempt }, 'attempt failed, will retry');
  };

  const workers: Worker[] = [];
  /** The worker's retriever, when this process runs one: the console's passage search reuses it. */
  let workerRetriever: Retriever | undefined;
  // The handoff: cases routed to advisor pools, SLA timers, events for the advisors' transports.
  const pools = PoolDirectory.load(config.env.ADVISOR_POOLS_FILE, config.env.SLACK_ADVISOR_CHANNEL);
  const slaQueue = createSlaQueue(producer, options.queuePrefix);
  slaQueue.on('error', () => undefined);
  const noticeLanes = new LaneQueue(producer, { kind: 'adv', queueName: HANDOFF_QUEUES.notices, keyPrefix, bullPrefix: options.queuePrefix, onError: () => undefined });
  const advisorTransports: AdvisorTransport[] = [...(options.advisorTransports ?? [])];
  const handoff = new HandoffService({
    repository: new CaseRepository(client, keyPrefix, config.env.RETENTION_DAYS),
    pools,
    translator: new I18nTranslator(Messages.create()),
    textTranslator: createTextTranslator(config),
    onError: logRecovered(logger, redactor),
    signals: new RedisHandoffSignals(client, slaQueue, config.env.SLACK_BOT_TOKEN || advisorTransports.length > 0 ? noticeLanes : undefined, keyPrefix),
    outbox: queues,
  });
  // The channels, from the one list: each opens the parts this process's roles need.
  const opened = await openChannels({
    config,
    roles,
    sink: {
      accept: async (message) => {
        await queues.accept(message);
        metrics.inbound.inc({ channel: message.channel });
      },
    },
    outbox: queues,
    redis: asRedis(client),
    connect: extraConnection,
    keyPrefix,
    logger,
    redactor,
    advisorNotice: (key, notice) => handoff.noticeChannel(key, notice),
    hooks: { telegramBotInfo: options.telegramBotInfo, whatsappWebClient: options.whatsappWebClient },
  });
  const channels: GatewayChannel[] = opened.flatMap(({ opened: channel }) => (channel.gateway ? [channel.gateway] : []));
  const senders: ChannelSender[] = opened.flatMap(({ opened: channel }) => (channel.sender ? [channel.sender] : []));
  const mediaFetchers: MediaFetcher[] = opened.flatMap(({ opened: channel }) => (channel.media ? [channel.media] : []));
  const whatsappLink = opened.find(({ opened: channel }) => channel.link)?.opened.link;

  // The Slack app: advisors' clicks and thread replies at the gateway; case events posted by the sender.
  // Its SDK (@slack/bolt, about half a second to load) is imported only when Slack is configured.
  const slack = slackConfig(config);
  let slackApp: SlackAdvisorApp | undefined;
  if (slack && (roles.gateway || roles.sender)) {
    const [{ SlackAdvisorApp }, { SlackAdvisorTransport }, { createSlackClient }] = await Promise.all([
      import('./handoff/advisors/slack/app.js'),
      import('./handoff/advisors/slack/transport.js'),
      import('./handoff/advisors/slack/client.js'),
    ]);
    if (roles.gateway) slackApp = new SlackAdvisorApp({ config: slack, handoff, logger, redactor });
    if (roles.sender) advisorTransports.push(slackApp?.transport() ?? new SlackAdvisorTransport(createSlackClient(slack), handoff, { advisorChannel: slack.advisorChannel }));
  }
  let indexLoaded = false;
  if (roles.worker) {
    const { retriever, built } = await openKnowledge(config, { embeddings: { timeoutMs: config.llm?.timeoutMs ?? 20_000 } });
    workerRetriever = retriever;
    if (built) logger.info({ chunks: built.chunks }, 'built the knowledge index');
    indexLoaded = true;
    if (!screenModelReady()) {
      logger.info('training the safety screen on its corpus (once, until the corpus changes; about half a minute)');
      const started = Date.now();
      screenModel();
      logger.info({ ms: Date.now() - started }, 'trained the safety screen');
    }
    const erasure: ErasureParticipant[] = [
      { name: 'queued replies and markers', erase: (key) => queues.eraseConversation(key) },
      ...opened.flatMap(({ opened: channel }) => channel.erasure ?? []),
    ];
    const { handle, deps } = createEngine({
      config,
      retriever,
      stores: redisStores(asRedis(client), config, keyPrefix, handoff),
      erasure,
      outbox: queues,
      // The OpenAI client is imported only when voice notes are transcribed.
      transcriber: config.transcription ? new (await import('./transcription/openai-transcriber.js')).OpenAiTranscriber(config.transcription, mediaFetchers) : undefined,
      onError: logRecovered(logger, redactor),
    });
    const run: HandleMessage = options.handle?.(queues) ?? handle;
    const timed: typeof handle = async (message) => {
      const end = metrics.turns.startTimer();
      const result = await run(message);
      end();
      if (result.escalation) metrics.escalations.inc({ reason: result.escalation.reason });
      return result;
    };
    workers.push(
      startConversationWorker(workerConnection, client, queues, timed, {
        bullPrefix: options.queuePrefix,
        concurrency: config.env.WORKER_CONCURRENCY,
        leaseMs: options.leaseMs,
        backoffMs: options.backoffMs,
        onRetry: logRetry('inbound'),
        onError: logError('inbound'),
        onDead: async (message, error, lane) => {
          metrics.failures.inc({ queue: 'inbound-dead' });
          logger.error({ err: errorField(error, redactor), conversation: logId(lane) }, 'message given up on; kept redacted in the dead letters, the user is told');
          await deadLetters.add('inbound', { at: new Date().toISOString(), conversation: logId(lane), error: errorField(error, redactor).message, text: message ? redactor.redact(message.text) : undefined });
          if (!message) return;
          // The user is not left waiting in silence: an apology in their language, once.
          const conversation = await deps.conversations.get(conversationKey(message.channel, message.userId)).catch(() => undefined);
          const language = conversation?.language ?? 'en';
          const apology: OutboundMessage = {
            id: `${message.id}:failed`,
            channel: message.channel,
            userId: message.userId,
            text: deps.translator.t(language, 'error.generic'),
            language,
            direction: RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr',
          };
          await queues.deliver([apology]);
        },
      }),
    );
    sweepers.push(startLaneSweeper(client, queues.inbound));
    workers.push(startSlaWorker(workerConnection, handoff, options.queuePrefix, logError('handoff-sla')));
  }
  if (roles.sender) {
    workers.push(
      startOutboundWorker(workerConnection, client, queues, senders, {
        bullPrefix: options.queuePrefix,
        concurrency: config.env.SENDER_CONCURRENCY,
        leaseMs: options.leaseMs,
        backoffMs: options.backoffMs,
        throttle: new SendThrottle(client, keyPrefix),
        onRetry: logRetry('outbound'),
        onError: logError('outbound'),
        onDead: async (_reply, error, lane) => {
          metrics.failures.inc({ queue: 'outbound-dead' });
          logger.error({ err: errorField(error, redactor), chat: logId(lane) }, 'reply given up on');
          await deadLetters.add('outbound', { at: new Date().toISOString(), conversation: logId(lane), error: errorField(error, redactor).message });
        },
        onUncertain: (reply) => logger.warn({ chat: logId(conversationKey(reply.channel, reply.userId)) }, 'a reply part was being sent when an earlier attempt stopped; not sent again'),
      }),
      startTypingWorker(workerConnection, senders, options.queuePrefix),
    );
    sweepers.push(startLaneSweeper(client, queues.outbound));
    if (advisorTransports.length > 0) {
      workers.push(startNoticeWorker(workerConnection, client, noticeLanes, handoff, advisorTransports, { bullPrefix: options.queuePrefix, onError: logError('advisor-notices') }));
      sweepers.push(startLaneSweeper(client, noticeLanes));
    }
  }

  let server: FastifyInstance | undefined;
  let url: string | undefined;
  let advisorConsole: AdvisorConsole | undefined;
  let caseEvents: RedisCaseEventFeed | undefined;
  if (roles.gateway) {
    server = createHttpServer({
      channels,
      metrics,
      trustProxy: config.env.TRUST_PROXY,
      logger,
      redactor,
      readiness: async () => {
        const redis = await client.ping().then(() => true, () => false);
        const checks: Record<string, boolean> = { redis };
        if (roles.worker) checks.index = indexLoaded;
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });
    slackApp?.routes(server);
    // The web advisor console at /advisor; its live updates on a subscriber connection of its own.
    const consoleSubscriber = extraConnection();
    caseEvents = new RedisCaseEventFeed(consoleSubscriber, keyPrefix);
    // A gateway without a worker opens the index only when an advisor first searches it.
    const passages = new PassageSearch(async () => workerRetriever ?? (await openKnowledge(config)).retriever);
    advisorConsole = new AdvisorConsole({ handoff, redis: asRedis(client), updates: caseEvents, prefix: keyPrefix, logger, passages, mediaFetchers, whatsappLink });
    advisorConsole.routes(server);
    await caseEvents.start();
    for (const channel of channels) await channel.start();
    await slackApp?.start();
    url = await server.listen({ port: config.env.PORT, host: config.env.HOST });
  }

  let stopped = false;
  return {
    server,
    url,
    handoff,
    queues,
    channels,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Channels first: polling stops and open event streams end, so that the server can close.
      for (const channel of channels) await channel.stop().catch(() => undefined);
      for (const { opened: channel } of opened) await channel.stop?.().catch(() => undefined);
      await slackApp?.stop().catch(() => undefined);
      advisorConsole?.stop();
      await caseEvents?.stop().catch(() => undefined);
      await server?.close();
      // close() lets in-flight jobs finish; waiting jobs stay in Redis for the next worker.
      for (const sweeper of sweepers) sweeper.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await Promise.all([slaQueue.close(), noticeLanes.close()]);
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
