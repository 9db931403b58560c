import type { ErasureParticipant } from '../core/ports.js';
import type { LogId } from '../infra/log-ids.js';
import type { RedisConnection } from '../infra/redis.js';
import { StatisticsKeys } from './statistics-keys.js';
import { UnansweredQuestions } from './unanswered-questions.js';

const NAME = 'unanswered questions kept for the statistics';
const HOLDS =
  'Questions the knowledge base could not answer, with phone numbers, e-mail addresses and ID numbers removed, their day and language, under a keyed hash of the conversation; kept for the retention period to guide content work. The daily counts hold no one’s data and stay.';

/**
 * The statistics' part in "delete" and in a request of access: a user's unanswered questions
 * (found by the keyed hash of their conversation) are erased or shown, and the conversation leaves
 * the day's set of active conversations. The daily counters are numbers without anyone's data in
 * them, and stay.
 */
export function unansweredQuestionsParticipant(questions: UnansweredQuestions, logId: LogId | undefined): ErasureParticipant {
  return {
    name: NAME,
    holds: HOLDS,
    erase: async (conversationKey) => {
      // Without the hash key nothing was ever stored under a hash.
      if (logId) await questions.eraseConversation(logId(conversationKey));
    },
    export: async (conversationKey) => {
      const kept = logId ? await questions.forConversation(logId(conversationKey)) : [];
      return kept.length === 0 ? undefined : kept.map(({ at, language, text }) => ({ askedAt: at, language, question: text }));
    },
  };
}

/** The same participant from the service's Redis alone (`npm run export` and the worker build their lists from these). */
export function statisticsParticipant(sources: { redis: RedisConnection; keyPrefix: string; retentionDays: number; logId?: LogId }): ErasureParticipant {
  const keys = new StatisticsKeys(sources.redis, sources.keyPrefix);
  return unansweredQuestionsParticipant(new UnansweredQuestions(sources.redis, keys, sources.retentionDays), sources.logId);
}
