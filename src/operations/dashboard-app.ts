import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { setSecurityHeaders } from '../handoff/advisors/console/security-headers.js';
import { errorField, type Logger } from '../infra/logger.js';
import type { LogId } from '../infra/log-ids.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import { DASHBOARD_CSP, cleanedPage } from './dashboard-page.js';
import { dashboardHooks } from './dashboard-policy.js';
import { jobName, jobProgress, jobReturnValue, jobSummary } from './job-summaries.js';
import type { OperatedQueue } from './lotse-queues.js';
import { JobIdSeal } from './sealed-job-ids.js';

export interface DashboardAppOptions {
  /** Where bull-board answers (its page's base and its API). */
  path: string;
  queues: OperatedQueue[];
  redis: Redis;
  prefix: string;
  /** Keyed hashes in place of lanes, chats and cases. */
  hash: LogId;
  logger?: Logger;
}

/**
 * bull-board on a Fastify instance of its own, which the console's route hands the admins'
 * requests to (queue-dashboard.ts): built at the first request, so that a gateway does not load
 * bull-board (about 0.2 s of every start) until someone opens the dashboard. It sets the console's
 * security headers with the dashboard's CSP, cleans bull-board's page, and answers its failures
 * without their messages (logged here, redacted).
 */
export async function dashboardApp(options: DashboardAppOptions): Promise<FastifyInstance> {
  const seal = await JobIdSeal.create(options.redis, options.prefix);
  const board = new FastifyAdapter();
  board.setBasePath(options.path);
  createBullBoard({
    queues: options.queues.map((queue) => redactingAdapter(queue, options.hash)),
    serverAdapter: board,
    options: {
      uiConfig: { boardTitle: 'Lotse queues', hideDocsLink: true, miscLinks: [{ text: 'Advisor console', url: '/advisor' }] },
      handlerHooks: dashboardHooks(seal),
    },
  });
  // Sealed job ids in URLs are longer than Fastify's default 100 characters per parameter.
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 300 } });
  const redactor = new PiiRedactor();
  app.addHook('onError', async (request, _reply, error) => {
    options.logger?.error({ err: errorField(error, redactor), route: request.routeOptions.url }, 'queue dashboard request failed');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    setSecurityHeaders(reply);
    reply.header('content-security-policy', DASHBOARD_CSP);
    const type = String(reply.getHeader('content-type') ?? '');
    if (reply.statusCode >= 500 && type.startsWith('application/json')) {
      return JSON.stringify({ error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'The queue dashboard failed (is Redis reachable?); the reason is in the server log.' });
    }
    return typeof payload === 'string' && type.startsWith('text/html') ? cleanedPage(payload) : payload;
  });
  await app.register(board.registerPlugin(), { prefix: options.path });
  await app.ready();
  return app;
}

/** A queue as bull-board shows it: retries allowed (of failed jobs), its data, name, return value and progress redacted. */
function redactingAdapter(operated: OperatedQueue, hash: LogId): BullMQAdapter {
  // allowCompletedRetries is read by bull-board's base adapter, though its BullMQ adapter's type leaves it out.
  const settings: ConstructorParameters<typeof BullMQAdapter>[1] & { allowCompletedRetries: boolean } = { displayName: operated.name, description: operated.description, allowRetries: true, allowCompletedRetries: false };
  const adapter = new BullMQAdapter(operated.queue, settings);
  adapter.setFormatter('data', (data) => jobSummary(operated.kind, operated.name, data, hash));
  adapter.setFormatter('name', (job: { name?: unknown } | undefined) => jobName(job?.name));
  adapter.setFormatter('returnValue', jobReturnValue);
  adapter.setFormatter('progress', jobProgress);
  return adapter;
}
