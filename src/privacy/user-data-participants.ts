import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelParticipants } from '../channels/registry.js';
import type { ErasureParticipant } from '../core/ports.js';
import type { CaseRepository } from '../handoff/case-repository.js';
import type { SlaJob } from '../handoff/handoff-signals.js';
import type { LogId } from '../infra/log-ids.js';
import { RedisNoticeSubscriptions } from '../notices/subscription-store.js';
import type { DeadLetters } from '../queue/dead-letters.js';
import { jobsMatching, type LaneQueue } from '../queue/lanes/lane-queue.js';
import type { MessageQueues } from '../queue/message-queues.js';
import { statisticsParticipant } from '../statistics/unanswered-erasure.js';

/** What the participants are made from: the service's Redis-backed parts (the app's own, or a tool's). */
export interface UserDataSources {
  /** The command connection (on a Redis Cluster too: channels send only single-slot commands). */
  redis: Redis;
  keyPrefix: string;
  retentionDays: number;
  queues: MessageQueues;
  /** The lanes that carry case events to the advisors' tools (Slack), and the cases' SLA timers. */
  noticeLanes: LaneQueue;
  slaQueue: Queue<SlaJob>;
  cases: CaseRepository;
  deadLetters: DeadLetters;
  /** The keyed hash that names conversations in the dead letters; none: none can be theirs. */
  logId?: LogId;
}

/**
 * Everything besides the core stores (conversation, cases, duplicate markers) that holds data of a
 * user: erased by "delete" and by `npm run export -- <channel> <user> --delete`, and shown by
 * `npm run export`. The worker (main.ts) and the command build it here, so that both always see
 * the same list. A new kind of data (statistics, event notices) is one line in it: a participant
 * with `erase` and, where it holds something a person can read, `export`.
 */
export function userDataParticipants(sources: UserDataSources): ErasureParticipant[] {
  return [
    queuedMessages(sources.queues),
    messagesGivenUpOn(sources.deadLetters, sources.logId),
    advisorNoticesAndTimers(sources.noticeLanes, sources.slaQueue, sources.cases),
    ...channelParticipants({ redis: sources.redis, keyPrefix: sources.keyPrefix }),
    statisticsParticipant(sources),
    new RedisNoticeSubscriptions(sources.redis, sources.keyPrefix),
  ];
}

function queuedMessages(queues: MessageQueues): ErasureParticipant {
  return {
    name: 'queued messages',
    holds: 'Messages not handled yet and replies not sent yet, in their queues until handled or sent (a week at most when nothing takes them); the jobs that wake a worker for them name the conversation and nothing else.',
    erase: (key) => queues.eraseConversation(key),
    export: (key) => queues.exportConversation(key),
  };
}

function messagesGivenUpOn(deadLetters: DeadLetters, logId: LogId | undefined): ErasureParticipant {
  return {
    name: 'messages given up on',
    holds: 'A message or reply that failed five times: when, the error, and its text with phone numbers, e-mail addresses and ID numbers removed; kept 7 days, under a keyed hash of the conversation.',
    erase: async (key) => void (logId && (await deadLetters.eraseConversation(logId(key)))),
    async export(key) {
      const letters = logId ? await deadLetters.ofConversation(logId(key)) : [];
      return letters.length > 0 ? letters.map(({ conversation: _hash, ...letter }) => letter) : undefined;
    },
  };
}

/** Case events on their way to Slack repeat the case's history, and SLA timers name a case only: erased with the cases, not exported. */
function advisorNoticesAndTimers(noticeLanes: LaneQueue, slaQueue: Queue<SlaJob>, cases: CaseRepository): ErasureParticipant {
  return {
    name: 'advisor notices',
    holds: "Case events on their way to the advisors' tools (Slack), until posted: the same as the cases' history; and the cases' reminder timers, which name a case and nothing else.",
    async erase(key) {
      const ids = new Set(await cases.caseIdsOf(key));
      if (ids.size === 0) return;
      for (const id of ids) await noticeLanes.erase(id);
      for (const { job } of await jobsMatching(slaQueue, (job) => ids.has(job.data?.caseId))) await job.remove().catch(() => undefined);
    },
  };
}
