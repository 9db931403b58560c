import type { Queue } from 'bullmq';
import { HANDOFF_QUEUES } from '../handoff/handoff-workers.js';
import type { LaneQueue } from '../queue/lanes/lane-queue.js';
import type { MessageQueues } from '../queue/message-queues.js';
import { EVENT_NOTICE_QUEUE } from '../notices/notice-queue.js';
import { QUEUES } from '../queue/queue-names.js';

/** What a queue's jobs carry: a lane's wake-up (`{ lane }`), a "typing…" request, an SLA timer, or an event notice's sending. */
export type JobKind = 'wake' | 'typing' | 'sla' | 'notice';

/** One of Lotse's BullMQ queues, as the operations tools (queue dashboard, metrics) show it. */
export interface OperatedQueue {
  /** The queue's name without a cluster hash tag: one of a fixed few (safe as a metric label). */
  name: string;
  queue: Queue;
  kind: JobKind;
  /** For the dashboard: what the jobs are. */
  description: string;
  /** The lanes a wake-up queue serves: their items wait in Redis lists, not in the jobs. */
  lanes?: LaneQueue;
}

/**
 * Every BullMQ queue Lotse has. Lanes are not queues of their own: the inbound, outbound and
 * advisor-notice lanes are Redis lists, and each has a BullMQ queue of wake-up jobs, listed here.
 */
export function lotseQueues(parts: { queues: MessageQueues; sla: Queue; notices: LaneQueue; eventNotices?: Queue }): OperatedQueue[] {
  const { queues, sla, notices, eventNotices } = parts;
  return [
    { name: QUEUES.inbound, queue: queues.inbound.queue as Queue, kind: 'wake', lanes: queues.inbound, description: 'Wake-ups of the conversations’ inbound lanes (the messages wait in the lanes, not in these jobs).' },
    { name: QUEUES.outbound, queue: queues.outbound.queue as Queue, kind: 'wake', lanes: queues.outbound, description: 'Wake-ups of the chats’ outbound lanes (the replies wait in the lanes, not in these jobs).' },
    { name: QUEUES.typing, queue: queues.typingQueue as Queue, kind: 'typing', description: '“Typing…” requests: best effort, never retried, nothing kept.' },
    { name: HANDOFF_QUEUES.sla, queue: sla, kind: 'sla', description: 'SLA timers of unclaimed cases: reminders to the pool, and giving a case up past its pool’s longest wait.' },
    { name: HANDOFF_QUEUES.notices, queue: notices.queue as Queue, kind: 'wake', lanes: notices, description: 'Wake-ups of the cases’ advisor-notice lanes (case events posted to Slack).' },
    ...(eventNotices ? [{ name: EVENT_NOTICE_QUEUE, queue: eventNotices, kind: 'notice' as const, description: 'Event notices to subscribers: each notice’s announcement, and its reminder (delayed until before the event).' }] : []),
  ];
}
