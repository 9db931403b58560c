import { jobName, jobProgress } from './job-summaries.js';

/** Seals a job id for display (JobIdSeal.seal). */
export type SealId = (id: string) => string;

/**
 * A failure's reason in the dashboard's words: an error's message may quote what a user wrote or
 * a platform's answer about a chat, so only what it is about is shown, from a fixed list; the
 * reason itself is in the server log, redacted.
 */
const KNOWN_FAILURES: [RegExp, string][] = [
  [/stalled/i, 'stalled: the worker stopped answering (its process died or was blocked)'],
  [/\block\b/i, 'lost its lock: the worker was too slow, or Redis restarted'],
  [/Connection is closed|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|MaxRetriesPerRequest|Stream isn't writeable|LOADING|READONLY|CLUSTERDOWN|TRYAGAIN/i, 'Redis was unavailable'],
  [/time(d)? ?out|did not answer/i, 'timed out'],
];
const UNKNOWN_FAILURE = 'failed (the reason is in the server log: it may quote personal data, so it is not shown here)';

export function failureSummary(reason: unknown): string {
  if (typeof reason !== 'string' || reason === '') return '';
  return KNOWN_FAILURES.find(([pattern]) => pattern.test(reason))?.[1] ?? UNKNOWN_FAILURE;
}

/** A stack trace's frames (where in the code), without its message line, which may quote data. */
function framesOnly(trace: unknown): string {
  if (typeof trace !== 'string') return '';
  return trace
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
}

/** The options worth showing (attempts, backoff, delays, retention); never the job id, parent, repeat or deduplication keys. */
const SHOWN_OPTIONS = ['attempts', 'backoff', 'delay', 'priority', 'lifo', 'timestamp', 'removeOnComplete', 'removeOnFail', 'stackTraceLimit'];

/**
 * A job as bull-board sends it, with nothing in it that could name a person: the id sealed, the
 * data, name, return value and progress through the queue's formatters (already applied), the
 * failure reason summarised, stack traces reduced to their frames, and only known fields kept.
 */
export function redactedJob(job: Record<string, unknown>, seal: SealId): Record<string, unknown> {
  const opts = (job.opts ?? {}) as Record<string, unknown>;
  const failedReason = failureSummary(job.failedReason);
  const stacktrace = Array.isArray(job.stacktrace) ? job.stacktrace.map(framesOnly).filter(Boolean).map((frames) => `${failedReason || 'Error'}\n${frames}`) : [];
  return {
    id: job.id === undefined || job.id === null ? job.id : seal(String(job.id)),
    name: jobName(job.name),
    timestamp: job.timestamp,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
    progress: jobProgress(job.progress),
    attempts: job.attempts,
    delay: job.delay,
    failedReason,
    stacktrace,
    opts: Object.fromEntries(SHOWN_OPTIONS.filter((key) => opts[key] !== undefined).map((key) => [key, opts[key]])),
    data: job.data,
    returnValue: job.returnValue,
    isFailed: job.isFailed,
    ...(typeof job.priority === 'number' ? { priority: job.priority } : {}),
    ...(typeof job.attemptsStarted === 'number' ? { attemptsStarted: job.attemptsStarted } : {}),
    ...(typeof job.stalledCounter === 'number' ? { stalledCounter: job.stalledCounter } : {}),
  };
}

/** A node of a job's flow (Lotse uses no flows; should one appear): ids sealed, names checked, children likewise. */
export function redactedFlowNode(node: unknown, seal: SealId): unknown {
  if (!node || typeof node !== 'object') return node;
  const { id, name, progress, children, ...rest } = node as Record<string, unknown>;
  const { state, queueName, truncated, dependencies } = rest;
  return {
    id: typeof id === 'string' || typeof id === 'number' ? seal(String(id)) : id,
    name: jobName(name),
    progress: jobProgress(progress),
    state,
    queueName,
    ...(truncated !== undefined ? { truncated } : {}),
    ...(dependencies !== undefined ? { dependencies } : {}),
    children: Array.isArray(children) ? children.map((child) => redactedFlowNode(child, seal)) : [],
  };
}
