import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { ConsoleAccess, ConsoleExtension } from '../handoff/advisors/console/console-extensions.js';
import { requireRole } from '../handoff/advisors/console/console-extensions.js';
import { isCrossSite } from '../handoff/advisors/console/csrf.js';
import { messagePage } from '../handoff/advisors/console/page-frame.js';
import { ConsoleRefusal } from '../handoff/advisors/console/refusals.js';
import { createLogId, type LogId } from '../infra/log-ids.js';
import type { Logger } from '../infra/logger.js';
import type { OperatedQueue } from './lotse-queues.js';

/** The dashboard's address: a public contract (README, DESIGN.md). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const ADMINS_ONLY = 'Only admins can open the queue dashboard.';
const NOT_FROM_HERE = 'The request did not come from the queue dashboard.';

export interface QueueDashboardOptions {
  /** Lotse's BullMQ queues (lotseQueues). */
  queues: OperatedQueue[];
  /** For the keys of the job-id seal and of the keyed hashes. */
  redis: Redis;
  /** Lotse's key prefix (default "lotse:"). */
  prefix?: string;
  /** Keyed hashes of lanes, chats and cases: the logs' own (default: made from the key the logs use). */
  logId?: LogId;
  /** Where the dashboard's own failures are logged (redacted). */
  logger?: Logger;
}

/**
 * bull-board at /admin/queues, as a page of the advisor console: for admins only (signed out: to
 * the sign-in; advisors and staff: 403), inside the console's scope (cookie, rate limit). Jobs are
 * shown redacted (their kind, channel and keyed hashes instead of their data, sealed ids, failure
 * reasons from a fixed list, no logs); admins may retry and clean failed jobs, nothing more
 * (dashboard-policy.ts). bull-board itself is loaded at the first admin's request (dashboard-app.ts).
 */
export function queueDashboard(options: QueueDashboardOptions): ConsoleExtension {
  return {
    link: { href: QUEUE_DASHBOARD_PATH, label: 'Queues', roles: ['admin'] },
    async routes(scope, access) {
      const prefix = options.prefix ?? 'lotse:';
      const hash = options.logId ?? (await createLogId(options.redis, prefix));
      let app: Promise<FastifyInstance> | undefined;
      const board = () =>
        (app ??= import('./dashboard-app.js')
          .then(({ dashboardApp }) => dashboardApp({ path: QUEUE_DASHBOARD_PATH, queues: options.queues, redis: options.redis, prefix, hash, logger: options.logger }))
          .catch((error: unknown) => {
            app = undefined; // tried again at the next request (Redis was away, say)
            throw error;
          }));
      await scope.register(async (dashboard) => {
        // bull-board reads the request's body itself: it is left unread here.
        dashboard.removeAllContentTypeParsers();
        dashboard.addContentTypeParser('*', (_request, _payload, done) => done(null));
        dashboard.addHook('onRequest', (request, reply) => admitAdmins(request, reply, access));
        dashboard.addHook('onClose', async () => void (await app?.then((instance) => instance.close(), () => undefined)));
        const forward = async (request: FastifyRequest, reply: FastifyReply) => {
          const instance = await board();
          reply.hijack();
          instance.routing(request.raw, reply.raw);
        };
        const method = ['GET', 'PUT', 'POST', 'PATCH'];
        dashboard.route({ method, url: QUEUE_DASHBOARD_PATH, handler: forward });
        dashboard.route({ method, url: `${QUEUE_DASHBOARD_PATH}/*`, handler: forward });
      });
    },
  };
}

/**
 * Lets signed-in admins through. Pages send the signed-out to the sign-in (303) and refuse others
 * with a page (403); the API and the static files answer 401 or 403 in JSON. A change (bull-board
 * sends PUT without a CSRF token) must come from this site: Sec-Fetch-Site and Origin are checked,
 * and a PUT from another origin needs a CORS preflight that nothing here answers.
 */
async function admitAdmins(request: FastifyRequest, reply: FastifyReply, access: ConsoleAccess): Promise<FastifyReply | undefined> {
  const path = request.url.split('?')[0]!;
  const changing = request.method !== 'GET' && request.method !== 'HEAD';
  const forScript = changing || path.startsWith(`${QUEUE_DASHBOARD_PATH}/api/`) || path.startsWith(`${QUEUE_DASHBOARD_PATH}/static/`);
  try {
    if (changing && (isCrossSite(request.headers) || !sameOrigin(request))) throw new ConsoleRefusal(403, NOT_FROM_HERE);
    // The page's polling is not the admin being active (like the console's own timers).
    requireRole(await access.signedIn(request, !forScript || changing), ['admin'], ADMINS_ONLY);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConsoleRefusal)) throw error;
    if (forScript) return reply.code(error.statusCode).headers(error.headers).send({ error: error.message });
    if (error.statusCode === 401) return reply.redirect('/advisor', 303);
    return reply.code(error.statusCode).type('text/html; charset=utf-8').send(messagePage(error.statusCode === 403 ? 'Not allowed' : 'Not possible', error.message));
  }
}

/** An Origin header, when the browser sent one, naming this host. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return URL.canParse(origin) && new URL(origin).host === request.host;
}
