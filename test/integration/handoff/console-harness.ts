import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { priorityFor, type Case } from '../../../src/core/case.js';
import type { TextTranslator } from '../../../src/core/ports.js';
import type { HandoffApi } from '../../../src/handoff/handoff-api.js';
import { CaseRepository } from '../../../src/handoff/case-repository.js';
import { HandoffService } from '../../../src/handoff/handoff-service.js';
import { RedisHandoffSignals, type SlaJob } from '../../../src/handoff/handoff-signals.js';
import { HANDOFF_QUEUES } from '../../../src/handoff/handoff-workers.js';
import type { PoolDirectory } from '../../../src/handoff/pools.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { runAdvisorCommand } from '../../../src/handoff/advisors/console/account-commands.js';
import { RedisCaseEventFeed, caseEventsChannel } from '../../../src/handoff/advisors/console/live-updates.js';
import { AdvisorConsole, type AdvisorConsoleDeps, type AdvisorConsoleOptions } from '../../../src/handoff/advisors/console/routes.js';
import { createHttpServer } from '../../../src/infra/http-server.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createMetrics } from '../../../src/infra/metrics.js';
import { MemoryHandoffConsole, poolDirectory, type TestCase } from '../../helpers/memory-handoff-console.js';
import { PassageSearch } from '../../../src/handoff/passage-search.js';
import { testRetriever } from '../../helpers/load-test-index.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';
import { takeSseEvents, type SseEvent } from '../../helpers/sse-events.js';

export const PASSWORD = 'correct horse battery';

/** Which HandoffApi the console runs on: the in-memory twin, or the real service on Redis. */
export type Backend = 'memory' | 'redis';

/** What the tests do as the user's side: open a case, write in it, and see what reached the user. */
export interface TestDesk {
  open(input: TestCase): Promise<Case>;
  userSays(caseId: string, text: string): Promise<void>;
  /** The advisors' replies that reached the user, once each. */
  readonly delivered: { caseId: string; text: string }[];
}

/**
 * The real HandoffService on Redis (CaseRepository, RedisHandoffSignals publishing on
 * `<prefix>case-events`, an SLA queue of its own) and the desk that drives it as the pipeline would.
 */
function redisHandoff(redis: Redis, prefix: string, bullPrefix: string, pools: PoolDirectory, textTranslator?: TextTranslator) {
  const queueConnection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const sla = new Queue<SlaJob>(HANDOFF_QUEUES.sla, { connection: queueConnection, prefix: bullPrefix });
  const delivered: TestDesk['delivered'] = [];
  const service = new HandoffService({
    repository: new CaseRepository(redis, prefix, 1),
    pools,
    translator: new I18nTranslator(Messages.create()),
    textTranslator,
    signals: new RedisHandoffSignals(redis, sla, undefined, prefix),
    outbox: {
      // The user's replies: the advisors' messages are the ones with an "advisor-" id (the rest say claimed, resolved…).
      deliver: async (replies) => {
        for (const reply of replies) {
          const advisorReply = /^case:(.+):advisor-/.exec(reply.id);
          if (advisorReply) delivered.push({ caseId: advisorReply[1]!, text: reply.text });
        }
      },
    },
  });
  const desk: TestDesk = {
    delivered,
    open: (input) => {
      const reason = input.reason ?? 'user_request';
      return service.open({ conversationKey: `web:${randomUUID()}`, channel: 'web', userId: randomUUID(), brief: 'The user asked for an advisor.', ...input, language: (input.language ?? 'en') as 'en', reason, priority: input.priority ?? priorityFor(reason) });
    },
    userSays: async (caseId, text) => {
      const c = await service.get(caseId);
      if (!c) throw new Error(`no case ${caseId}`);
      await service.record(c, { type: 'user_message', text }, randomUUID());
    },
  };
  const close = async () => {
    await sla.close();
    await queueConnection.quit();
  };
  return { handoff: service as HandoffApi, desk, close };
}

/**
 * The advisor console alone on the test Redis: the real HTTP server (createHttpServer, no
 * channels) with the console's routes, on the real HandoffService (or the in-memory twin, which
 * publishes its notices on the same Redis channel), with a key prefix of its own. `close` removes every key made
 * under the prefix and resolves to those still there (none, or a leak). `extra`: what a test gives
 * the console besides (the WhatsApp linking state, pages of its own).
 */
export async function consoleApp(options: AdvisorConsoleOptions = {}, backend: Backend = 'redis', textTranslator?: TextTranslator, extra: Pick<AdvisorConsoleDeps, 'whatsappLink' | 'extensions'> = {}) {
  const id = randomUUID().slice(0, 8);
  const prefix = `console-test-${id}:`;
  const bullPrefix = `console-bq-${id}`;
  const redis = new Redis(inject('redisUrl'));
  const subscriber = new Redis(inject('redisUrl'));
  const pools = poolDirectory([
    { id: 'tunis', name: 'Tunis team', languages: ['ar'] },
    { id: 'pristina', name: 'Pristina team', languages: ['sq'] },
    { id: 'general', name: 'General' },
  ]);
  const { handoff, desk, close: closeHandoff } =
    backend === 'memory'
      ? (() => {
          const memory = new MemoryHandoffConsole(pools, async (notice) => void (await redis.publish(caseEventsChannel(prefix), JSON.stringify(notice))));
          return { handoff: memory as HandoffApi, desk: memory as TestDesk, close: async () => undefined };
        })()
      : redisHandoff(redis, prefix, bullPrefix, pools, textTranslator);
  const feed = new RedisCaseEventFeed(subscriber, prefix);
  await feed.start();
  const logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => void (logLines.push(String(chunk)), done()) }));
  const passages = new PassageSearch(() => testRetriever());
  const advisorConsole = new AdvisorConsole({ handoff, redis, updates: feed, prefix, logger, passages, ...extra }, options);
  const server = createHttpServer({ channels: [], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }), logger });
  advisorConsole.routes(server);
  await server.ready();
  let url: string | undefined;

  const app = {
    prefix,
    backend,
    redis,
    handoff,
    desk,
    pools,
    console: advisorConsole,
    server,
    logLines,
    /** Adds an account through the CLI's own function; the output lines. */
    async addAdvisor(name: string, pools: string[], extra: string[] = [], password = PASSWORD): Promise<string[]> {
      const out: string[] = [];
      await runAdvisorCommand(['add', name, '--pools', pools.join(','), '--password-stdin', ...extra], { redis, prefix, readPassword: async () => password, out: (line) => out.push(line) });
      return out;
    },
    /** Signs in through the API: the cookie header and the CSRF token. */
    async signIn(name: string, password = PASSWORD, remoteAddress = '127.0.0.1'): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }> {
      const response = await server.inject({ method: 'POST', url: '/advisor/api/sign-in', payload: { name, password }, remoteAddress });
      const id = response.cookies.find((c) => c.name === 'lotse_advisor')?.value;
      if (response.statusCode !== 200 || !id) throw new Error(`not signed in: ${response.statusCode} ${response.body}`);
      const cookie = `lotse_advisor=${id}`;
      const csrf = (response.json() as { csrfToken: string }).csrfToken;
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },
    async listen(): Promise<string> {
      url ??= await server.listen({ port: 0, host: '127.0.0.1' });
      return url;
    },
    async keys(): Promise<string[]> {
      return scanKeys(redis, `${prefix}*`);
    },
    async close(): Promise<string[]> {
      advisorConsole.stop();
      await server.close();
      await feed.stop();
      await closeHandoff();
      await deleteKeys(redis, prefix, `${bullPrefix}:`);
      const left = [...(await scanKeys(redis, `${prefix}*`)), ...(await scanKeys(redis, `${bullPrefix}:*`))];
      await Promise.all([redis.quit(), subscriber.quit()]);
      return left;
    },
  };
  return app;
}

export type ConsoleApp = Awaited<ReturnType<typeof consoleApp>>;


export type { SseEvent } from '../../helpers/sse-events.js';

/** A minimal server-sent events client over a real socket, to see exactly what a browser gets. */
export function openUpdates(baseUrl: string, headers: Record<string, string>) {
  const events: SseEvent[] = [];
  let wake: (() => void) | undefined;
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const controller = new AbortController();
  const status = fetch(`${baseUrl}/advisor/api/updates`, { headers, signal: controller.signal }).then(async (response) => {
    if (!response.ok || !response.body) return { status: response.status, body: await response.text(), headers: response.headers };
    void (async () => {
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const taken = takeSseEvents(buffer + decoder.decode(value, { stream: true }));
          buffer = taken.rest;
          events.push(...taken.events);
          wake?.();
        }
      } catch {
        // aborted by close()
      }
      markEnded();
    })();
    return { status: response.status, body: '', headers: response.headers };
  });
  return {
    status,
    events,
    ended,
    async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 5_000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the expected events did not arrive; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 100));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return events;
    },
    close: () => controller.abort(),
  };
}
