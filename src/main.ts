import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import type { UserFromGetMe } from 'grammy/types';
import type { GatewayChannel } from './channels/gateway-channel.js';
import type { Config } from './config/config.js';
import type { ChannelSender } from './core/channel.js';
import type { MediaFetcher } from './core/ports.js';
import { openChannels } from './channels/registry.js';
import type { WebClientFactory } from './channels/whatsapp/web/client.js';
import { createEngine, createTextTranslator, redisStores } from './conversation/create-engine.js';
import type { HandleMessage } from './core/conversation-pipeline.js';
import { createHttpServer } from './infra/http-server.js';
import { errorField, logRecovered, type Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { asRedis, connectRedis, detectCluster, whenReady, type RedisConnection } from './infra/redis.js';
import { PiiRedactor } from './privacy/pii-redactor.js';
import { userDataParticipants } from './privacy/user-data-participants.js';
import { redactNames } from './privacy/name-redactor.js';
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
import { startLaneSweeper, type LaneSweeperOptions } from './queue/lanes/lane-sweeper.js';
import { MessageQueues } from './queue/message-queues.js';
import { startOutboundWorker, startTypingWorker } from './queue/outbound-worker.js';
import { SendThrottle } from './queue/send-throttle.js';
import { conversationKey, type OutboundMessage } from './core/message.js';
import { RTL_LANGUAGES } from './core/knowledge.js';
import { openKnowledge } from './retrieval/open-knowledge.js';
import { EventNotices, type NoticeOptions } from './notices/event-notices.js';
import { lotseQueues } from './operations/lotse-queues.js';
import { queueDashboard } from './operations/queue-dashboard.js';
import { caseMetrics } from './operations/case-metrics.js';
import { countingSender } from './operations/counting-sender.js';
import { channelLabel } from './operations/metric-labels.js';
import { registerRedisGauges } from './operations/redis-gauges.js';
import { countedTurns } from './operations/turn-metrics.js';
import { serveMetrics } from './infra/metrics-server.js';
import { createStatistics, knowledgeCatalogue } from './statistics/statistics.js';

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
  /**
   * Replaces the conversation pipeline (given the queues to reply through, and the pipeline itself):
   * the benchmark's echo baseline runs the same queues doing no work; tests wrap the pipeline.
   */
  handle?: (queues: MessageQueues, pipeline: HandleMessage) => HandleMessage;
  /** How often the lane sweepers look, and when a lane counts as forgotten (tests shorten them; defaults 15 s and 30 s). */
  laneSweep?: LaneSweeperOptions;
  /** Event notices' tuning (tests shorten the reminder's hour and the sending's lock). */
  notices?: NoticeOptions;
}

export interface RunningLotse {
  /** The handoff service (cases, and what advisors do with them). */
  handoff: HandoffService;
  server?: FastifyInstance;
  /** The gateway's base URL once it listens. */
  url?: string;
  /** Where a process without the gateway serves /metrics (METRICS_PORT). */
  metricsUrl?: string;
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
  // A worker or sender has no HTTP server: with METRICS_PORT it serves its own counters there (first, so that a taken port stops the start cleanly).
  const metricsServer = !roles.gateway && config.env.METRICS_PORT !== undefined ? await serveMetrics(metrics.registry, config.env.METRICS_PORT, config.env.HOST, config.env.METRICS_TOKEN) : undefined;
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
  // Statistics without personal data: daily counts of turns and cases, and the unanswered questions (redacted).
  const statistics = createStatistics({ redis: client, prefix: keyPrefix, logId, statsDays: config.env.STATS_DAYS, retentionDays: config.env.RETENTION_DAYS, onError: logRecovered(logger, redactor) });
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
  const cases = new CaseRepository(client, keyPrefix, config.env.RETENTION_DAYS);
  const handoff = new HandoffService({
    repository: cases,
    pools,
    translator: new I18nTranslator(Messages.create()),
    textTranslator: createTextTranslator(config),
    onError: logRecovered(logger, redactor),
    signals: new RedisHandoffSignals(client, slaQueue, config.env.SLACK_BOT_TOKEN || advisorTransports.length > 0 ? noticeLanes : undefined, keyPrefix),
    outbox: queues,
    observers: [statistics.observeCase, caseMetrics(metrics, pools)],
  });
  // The channels, from the one list: each opens the parts this process's roles need.
  const opened = await openChannels({
    config,
    roles,
    sink: {
      accept: async (message) => {
        await queues.accept(message);
        metrics.inbound.inc({ channel: channelLabel(message.channel) });
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
  const senders: ChannelSender[] = opened.flatMap(({ opened: channel }) => (channel.sender ? [countingSender(channel.sender, metrics)] : []));
  const mediaFetchers: MediaFetcher[] = opened.flatMap(({ opened: channel }) => (channel.media ? [channel.media] : []));
  const whatsappLink = opened.find(({ opened: channel }) => channel.link)?.opened.link;
  // Event notices: who asked for them (the pipeline), the staff's console page, the sending worker.
  const eventNotices = new EventNotices({ config, client, producer, keyPrefix, bullPrefix: options.queuePrefix, onError: logRecovered(logger, redactor), options: options.notices });

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
    // Everything besides the core stores that "delete" erases (the same list as `npm run export`'s).
    const erasure = userDataParticipants({ redis: asRedis(client), keyPrefix, retentionDays: config.env.RETENTION_DAYS, queues, noticeLanes, slaQueue, cases, deadLetters, logId });
    const { handle, deps } = createEngine({
      config,
      retriever,
      stores: redisStores(asRedis(client), config, keyPrefix, handoff),
      erasure,
      notices: eventNotices.subscriptions,
      outbox: queues,
      // The OpenAI client is imported only when voice notes are transcribed.
      transcriber: config.transcription ? new (await import('./transcription/openai-transcriber.js')).OpenAiTranscriber(config.transcription, mediaFetchers) : undefined,
      onError: logRecovered(logger, redactor),
    });
    const run: HandleMessage = options.handle?.(queues, handle) ?? handle;
    const counted = countedTurns(run, metrics);
    const timed: typeof handle = async (message) => {
      const result = await counted(message);
      await statistics.recorder.recordTurn(conversationKey(message.channel, message.userId), result);
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
          await deadLetters.add('inbound', { at: new Date().toISOString(), conversation: logId(lane), error: errorField(error, redactor).message, text: message ? redactNames(redactor.redact(message.text)) : undefined });
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
    sweepers.push(startLaneSweeper(client, queues.inbound, options.laneSweep));
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
      await eventNotices.startWorker(workerConnection, senders),
    );
    sweepers.push(startLaneSweeper(client, queues.outbound, options.laneSweep));
    if (advisorTransports.length > 0) {
      workers.push(startNoticeWorker(workerConnection, client, noticeLanes, handoff, advisorTransports, { bullPrefix: options.queuePrefix, onError: logError('advisor-notices') }));
      sweepers.push(startLaneSweeper(client, noticeLanes, options.laneSweep));
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
      metricsToken: config.env.METRICS_TOKEN,
      readiness: async () => {
        const redis = await client.ping().then(() => true, () => false);
        const checks: Record<string, boolean> = { redis };
        if (roles.worker) checks.index = indexLoaded;
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });
    slackApp?.routes(server);
    // Cases, queue depths and lane backlogs: read from Redis at each scrape of the gateway's /metrics.
    const operatedQueues = lotseQueues({ queues, sla: slaQueue, notices: noticeLanes, eventNotices: eventNotices.queue });
    registerRedisGauges(metrics.registry, { queues: operatedQueues, activeCases: (ids) => handoff.list(ids), pools: pools.pools.map((pool) => pool.id), redis: client, logger, redactor });
    // The web advisor console at /advisor; its live updates on a subscriber connection of its own.
    const consoleSubscriber = extraConnection();
    caseEvents = new RedisCaseEventFeed(consoleSubscriber, keyPrefix);
    // A gateway without a worker opens the index only when an advisor first searches it.
    const passages = new PassageSearch(async () => workerRetriever ?? (await openKnowledge(config)).retriever);
    advisorConsole = new AdvisorConsole({
      handoff,
      redis: asRedis(client),
      updates: caseEvents,
      prefix: keyPrefix,
      logger,
      passages,
      mediaFetchers,
      whatsappLink,
      extensions: [queueDashboard({ queues: operatedQueues, redis: asRedis(client), prefix: keyPrefix, logId, logger }), statistics.consolePage(knowledgeCatalogue(config)), eventNotices.console],
    });
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
    metricsUrl: metricsServer?.url,
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
      await metricsServer?.close();
      // close() lets in-flight jobs finish; waiting jobs stay in Redis for the next worker.
      for (const sweeper of sweepers) sweeper.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await Promise.all([slaQueue.close(), noticeLanes.close(), eventNotices.close()]);
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
