import type { ErasureParticipant } from '../core/ports.js';
import type { ConsoleExtension } from '../handoff/advisors/console/console-extensions.js';
import type { CaseObserver } from '../handoff/handoff-service.js';
import type { LogId } from '../infra/log-ids.js';
import type { RedisConnection } from '../infra/redis.js';
import type { DocumentCatalogue } from './document-catalogue.js';
import { statisticsConsole } from './statistics-console.js';
import { StatisticsKeys } from './statistics-keys.js';
import { StatisticsReader } from './statistics-reader.js';
import { StatisticsRecorder } from './statistics-recorder.js';
import { defineStatisticsScripts } from './statistics-scripts.js';
import { unansweredQuestionsParticipant } from './unanswered-erasure.js';
import { UnansweredQuestions } from './unanswered-questions.js';

export { knowledgeCatalogue, type DocumentCatalogue } from './document-catalogue.js';
export { statisticsParticipant } from './unanswered-erasure.js';

export interface StatisticsOptions {
  redis: RedisConnection;
  /** Lotse's key prefix (default "lotse:"). */
  prefix: string;
  /** The keyed hash of conversation keys (src/infra/log-ids.ts): no id is stored. */
  logId: LogId;
  /** STATS_DAYS: days the daily counters are kept. */
  statsDays: number;
  /** RETENTION_DAYS: days unanswered questions are kept. */
  retentionDays: number;
  /** Told of a failed write (a turn or case goes on regardless). */
  onError: (error: unknown, where: string) => void;
  now?: () => Date;
}

export interface Statistics {
  keys: StatisticsKeys;
  recorder: StatisticsRecorder;
  /** For HandoffService's `observers`. */
  observeCase: CaseObserver;
  /** For the pipeline's erasure participants (and the privacy export). */
  erasure: ErasureParticipant;
  unanswered: UnansweredQuestions;
  reader(catalogue: DocumentCatalogue): StatisticsReader;
  /** For AdvisorConsole's `extensions`: the statistics page. */
  consolePage(catalogue: DocumentCatalogue): ConsoleExtension;
}

/** Statistics without personal data: the recorder, its case observer, its erasure participant and its console page, on one Redis. */
export function createStatistics(options: StatisticsOptions): Statistics {
  defineStatisticsScripts(options.redis);
  const keys = new StatisticsKeys(options.redis, options.prefix);
  const unanswered = new UnansweredQuestions(options.redis, keys, options.retentionDays);
  const recorder = new StatisticsRecorder({ ...options, keys, unanswered, onError: throttled(options.onError) });
  const reader = (catalogue: DocumentCatalogue) => new StatisticsReader({ redis: options.redis, keys, unanswered, catalogue });
  return {
    keys,
    recorder,
    observeCase: recorder.observeCase,
    erasure: unansweredQuestionsParticipant(unanswered, options.logId),
    unanswered,
    reader,
    consolePage: (catalogue) => statisticsConsole({ reader: reader(catalogue), unanswered, statsDays: options.statsDays, now: options.now }),
  };
}

/** At most one report a minute per kind: a Redis outage would otherwise repeat it for every turn. */
function throttled(onError: (error: unknown, where: string) => void): (error: unknown, where: string) => void {
  const last = new Map<string, number>();
  return (error, where) => {
    if (Date.now() - (last.get(where) ?? 0) < 60_000) return;
    last.set(where, Date.now());
    onError(error, where);
  };
}
