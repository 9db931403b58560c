import { conversationKey } from '../core/message.js';
import type { LogId } from '../infra/log-ids.js';
import type { JobKind } from './lotse-queues.js';
import { channelLabel, oneOf } from './metric-labels.js';

/**
 * What the queue dashboard shows of a job instead of its data: its kind and channel, and keyed
 * hashes (the same as the logs', so that a job can be followed into them) in place of lanes,
 * chats and cases. Never a chat id, phone number, session, name or text; an unknown shape shows
 * only how many fields it has.
 */
export function jobSummary(kind: JobKind, queue: string, data: unknown, hash: LogId): Record<string, unknown> {
  const record = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  if (kind === 'wake' && typeof record.lane === 'string') {
    // Inbound and outbound lanes are conversation keys ("<channel>:<user id>"); advisor-notice lanes are case ids.
    if (queue === 'advisor-notices') return { kind: 'wake', lanes: queue, case: hash(record.lane) };
    return { kind: 'wake', lanes: queue, channel: channelLabel(record.lane.split(':')[0]), conversation: hash(record.lane) };
  }
  const typing = record.typing as Record<string, unknown> | undefined;
  if (kind === 'typing' && typing && typeof typing.channel === 'string' && typeof typing.userId === 'string') {
    return { kind: 'typing', channel: channelLabel(typing.channel), conversation: hash(conversationKey(typing.channel, typing.userId)), ...(typeof typing.at === 'number' ? { askedAt: new Date(typing.at).toISOString() } : {}) };
  }
  if (kind === 'sla' && typeof record.caseId === 'string') {
    return { kind: 'sla', case: hash(record.caseId), step: typeof record.step === 'number' ? record.step : undefined };
  }
  if (kind === 'notice' && typeof record.noticeId === 'string') {
    return { kind: 'notice', notice: hash(record.noticeId), sending: oneOf(['announce', 'reminder', 'cancellation'], record.kind) };
  }
  return { kind: 'unknown', fields: Object.keys(record).length };
}

/** The names Lotse gives its jobs; anything else is shown as "job" (a name could carry an id). */
const JOB_NAMES = new Set(['wake', 'typing', 'sla', 'announce', 'reminder', 'cancellation']);
export const jobName = (name: unknown) => (typeof name === 'string' && JOB_NAMES.has(name) ? name : 'job');

/** What Lotse's processors return (a lane's outcome, an SLA step's); anything else is hidden. */
const RETURN_VALUES = new Set(['busy', 'empty', 'done', 'waiting', 'yielded', 'lost the lease', 'reminded', 'expired', 'later']);
export const jobReturnValue = (value: unknown) => (value === undefined || value === null ? value : typeof value === 'string' && RETURN_VALUES.has(value) ? value : '(hidden)');

/** Progress as a number; anything else (a progress object could carry data) as 0. */
export const jobProgress = (value: unknown) => (typeof value === 'number' || typeof value === 'boolean' ? value : 0);
