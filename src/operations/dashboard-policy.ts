import type { BaseAdapter } from '@bull-board/api/baseAdapter';
import type { BeforeHookResult, BoardHooks, ControllerHandlerReturnType } from '@bull-board/api/typings/app';
import type { JobIdSeal } from './sealed-job-ids.js';
import { redactedFlowNode, redactedJob } from './redacted-jobs.js';

/** What the dashboard reads: queues, counts, jobs (redacted), workers, Redis' own figures. */
const READS = new Set([
  '/api/redis/stats',
  '/api/queues',
  '/api/job-schedulers',
  '/api/queues/:queueName/metrics',
  '/api/queues/:queueName/default-job-options',
  '/api/queues/:queueName/workers',
  '/api/queues/:queueName/rate-limit',
  '/api/queues/:queueName/job-data-schema',
  '/api/queues/:queueName/:jobId/logs',
  '/api/queues/:queueName/:jobId/flow',
  '/api/queues/:queueName/:jobId',
]);

/**
 * What an admin may do: retry failed jobs and clean failed or completed ones. Not add or edit a
 * job, pause, empty or obliterate a queue, change its limits or promote timers: the lanes, the
 * SLA timers and their ids are Lotse's own bookkeeping, and a job made by hand would break it.
 */
const ACTIONS: Record<string, readonly string[] | 'job'> = {
  '/api/queues/:queueName/retry/:queueStatus': ['failed'],
  '/api/queues/:queueName/clean/:queueStatus': ['failed', 'completed'],
  '/api/queues/:queueName/:jobId/retry': 'job',
  '/api/queues/:queueName/:jobId/clean': 'job',
};

const NOT_ALLOWED = 'Lotse’s queue dashboard retries failed jobs and cleans failed or completed ones; it does not add, edit, pause, empty or remove anything else.';
const refuse = (status: 403 | 404, message = NOT_ALLOWED): BeforeHookResult => ({ allow: false, status, errorKey: status === 404 ? 'ERRORS.JOB_NOT_FOUND' : 'ERRORS.FORBIDDEN', message });

/**
 * bull-board's hooks: before a handler, only allowed routes pass, and a sealed job id is opened
 * (anything else is no job); after it, jobs and flows are redacted and job logs withheld, since
 * a log line may quote anything.
 */
export function dashboardHooks(seal: JobIdSeal): BoardHooks {
  return {
    before: async ({ method, route, request }) => {
      const action = ACTIONS[route];
      if (!(method === 'get' ? READS.has(route) : method === 'put' && action !== undefined)) return refuse(403);
      const params = request.params as Record<string, unknown>;
      if (Array.isArray(action) && !action.includes(String(params.queueStatus))) return refuse(403);
      if (route.includes(':jobId')) {
        const id = seal.open(String(params.jobId));
        if (id === undefined) return refuse(404, 'No such job.');
        params.jobId = id;
      }
      if (action === 'job') {
        // One job: retried only when it failed, cleaned only when it failed or completed (not a waiting wake-up or a pending SLA timer).
        const queue = request.queues.get(String(params.queueName)) as BaseAdapter | undefined;
        const state = await (await queue?.getJob(String(params.jobId)))?.getState();
        const allowed = route.endsWith('/retry') ? ['failed'] : ['failed', 'completed'];
        if (state !== undefined && !allowed.includes(state)) return refuse(403);
      }
      return { allow: true };
    },
    after: async ({ route }, result) => redactedResult(route, result, (id) => seal.seal(id)),
  };
}

function redactedResult(route: string, result: ControllerHandlerReturnType, seal: (id: string) => string): ControllerHandlerReturnType {
  const body = result.body as Record<string, unknown> | string | undefined;
  if ((result.status ?? 200) >= 500) return { status: result.status, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'The dashboard could not read the queues (is Redis reachable?). Details are in the server log.' } };
  if (!body || typeof body !== 'object' || (result.status ?? 200) >= 400) return result;
  if (route === '/api/queues' && Array.isArray(body.queues)) {
    const queues = (body.queues as Record<string, unknown>[]).map((queue) => ({ ...queue, jobs: Array.isArray(queue.jobs) ? queue.jobs.map((job: Record<string, unknown>) => redactedJob(job, seal)) : [] }));
    return { ...result, body: { ...body, queues } };
  }
  if (route === '/api/queues/:queueName/:jobId' && body.job) return { ...result, body: { ...body, job: redactedJob(body.job as Record<string, unknown>, seal) } };
  if (route === '/api/queues/:queueName/:jobId/logs') {
    const count = Array.isArray(body) ? body.length : 0;
    return { ...result, body: count > 0 ? [`${count} log line(s) not shown: job logs may quote personal data.`] : [] };
  }
  if (route === '/api/job-schedulers' && Array.isArray(body.schedulers)) {
    // Lotse schedules nothing; should a scheduler appear, its template's data stays out.
    return { ...result, body: { ...body, schedulers: (body.schedulers as Record<string, unknown>[]).map(({ template: _template, ...scheduler }) => scheduler) } };
  }
  if (route === '/api/queues/:queueName/:jobId/flow') {
    return { ...result, body: { ...body, nodeId: typeof body.nodeId === 'string' ? seal(body.nodeId) : body.nodeId, flowRoot: redactedFlowNode(body.flowRoot, seal) } };
  }
  return result;
}
