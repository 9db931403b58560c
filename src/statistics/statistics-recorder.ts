import type { CaseEvent, Case } from '../core/case.js';
import type { EscalationDecision, TurnFacts } from '../core/turn-context.js';
import type { CaseObserver } from '../handoff/handoff-service.js';
import type { LogId } from '../infra/log-ids.js';
import type { RedisConnection } from '../infra/redis.js';
import { redactNames } from '../privacy/name-redactor.js';
import { METRICS, field } from './statistics-fields.js';
import type { StatisticsKeys } from './statistics-keys.js';
import { queueScript, runScript } from './statistics-scripts.js';
import type { UnansweredQuestions } from './unanswered-questions.js';
import { dayOf, endOfDay, type Day } from './utc-days.js';
import { waitBucket } from './wait-histogram.js';

const DAY_SECONDS = 86_400;

/** What the recorder needs of a turn's result. */
export interface RecordedTurn {
  facts?: TurnFacts;
  escalation?: EscalationDecision;
}

/** The counters one turn moves: for the turn itself, and once per conversation and day. */
export interface TurnPlan {
  turn: string[];
  conversation: string[];
}

/**
 * What a turn counts. Nothing without facts (a user who has not agreed to the privacy notice, a
 * duplicate, an erasure). Topics are counted for every question (what people ask about), sources
 * only for answered ones (what the answers used), escalations with their reason and kind of danger.
 */
export function turnPlan(facts: TurnFacts, escalation?: EscalationDecision): TurnPlan {
  const turn: string[] = [METRICS.turns];
  if (facts.started) turn.push(METRICS.started);
  const question = facts.question;
  if (question) {
    turn.push(field('question', question.outcome));
    for (const topic of new Set(question.topics)) turn.push(field('topic', topic));
    if (question.outcome === 'answered') for (const source of new Set(question.sources)) turn.push(field('source', source));
  }
  if (escalation) {
    turn.push(field('escalation', escalation.reason));
    if (escalation.danger) turn.push(field('danger', escalation.danger));
  }
  const conversation: string[] = [METRICS.active, field('channel', facts.channel), field('language', facts.language)];
  if (facts.country) conversation.push(field('country', facts.country));
  if (facts.audience) conversation.push(field('audience', facts.audience));
  return { turn: [...new Set(turn)], conversation };
}

/** The counters a case event moves, and whether they move once per case (a marker). */
export function casePlan(c: Case, event: CaseEvent): { fields: [string, number][]; once?: string } | undefined {
  switch (event.type) {
    case 'opened':
      return { fields: [[METRICS.cases, 1]] };
    case 'claimed': {
      // Opened to first claimed: a release and a second claim do not count again.
      const waitMs = Date.parse(event.at) - Date.parse(c.createdAt);
      if (!Number.isFinite(waitMs)) return undefined;
      return { fields: [[field('wait', String(waitBucket(waitMs))), 1], [METRICS.waitCount, 1], [METRICS.waitSeconds, Math.max(0, Math.round(waitMs / 1000))]], once: c.id };
    }
    case 'resolved':
      return { fields: [[field('outcome', event.outcome ?? 'unspecified'), 1]] };
    case 'cancelled':
      return { fields: [[field('outcome', 'cancelled'), 1]] };
    case 'sla_reminder':
      // The first reminder: the case went unclaimed past its pool's SLA (recorded once per case).
      return event.step === 1 ? { fields: [[METRICS.slaBreaches, 1]] } : undefined;
    default:
      return undefined;
  }
}

export interface StatisticsRecorderDeps {
  redis: RedisConnection;
  keys: StatisticsKeys;
  unanswered: UnansweredQuestions;
  logId: LogId;
  /** Days the daily counters are kept. */
  statsDays: number;
  /** Days unanswered questions (and the first-claim markers) are kept. */
  retentionDays: number;
  /** Told of a failure; the turn or the case goes on regardless. */
  onError: (error: unknown, where: string) => void;
}

/**
 * Counts turns and case events into daily counters (UTC days) in Redis. A turn costs one
 * pipelined round trip (a script, and an unanswered question with it); a failure is reported to
 * onError and never fails the turn or the case.
 */
export class StatisticsRecorder {
  constructor(private readonly deps: StatisticsRecorderDeps) {}

  /** Records a turn's facts and escalation; `conversationKey` becomes a keyed hash before it reaches Redis. */
  async recordTurn(conversationKey: string, result: RecordedTurn, at: Date = new Date()): Promise<void> {
    const facts = result.facts;
    if (!facts) return;
    try {
      const day = dayOf(at);
      const plan = turnPlan(facts, result.escalation);
      const conversation = this.deps.logId(conversationKey);
      const pipeline = this.deps.redis.pipeline();
      queueScript(pipeline, 'statsTurn', [this.deps.keys.day(day), this.deps.keys.seen(day)], [
        this.countersExpireAt(day),
        // An hour past the day's end (clocks of processes differ a little); an hour from now for a day gone by (tests seed those).
        Math.floor(Math.max(endOfDay(day), Date.now()) / 1000) + 3600,
        conversation,
        plan.turn.length,
        ...plan.turn,
        ...plan.conversation,
      ]);
      const question = facts.question;
      if (question?.outcome === 'unanswered' && question.redacted?.trim()) {
        this.deps.unanswered.queueAdd(pipeline, conversation, { at, language: facts.language, text: redactNames(question.redacted, facts.language) });
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      this.deps.onError(error, 'statistics (turn)');
    }
  }

  /** The HandoffService's observer: case opened, first claimed (the wait), resolved (outcome), cancelled, past its SLA. */
  readonly observeCase: CaseObserver = async (c, event) => {
    try {
      const plan = casePlan(c, event);
      if (!plan) return;
      const day = dayOf(new Date(event.at));
      const keys = [this.deps.keys.day(day), ...(plan.once ? [this.deps.keys.waited(plan.once)] : [])];
      await runScript(this.deps.redis, 'statsCase', keys, [this.countersExpireAt(day), this.deps.retentionDays * DAY_SECONDS, ...plan.fields.flat()]);
    } catch (error) {
      this.deps.onError(error, 'statistics (case)');
    }
  };

  /** Counters go STATS_DAYS after their day ends. */
  private countersExpireAt(day: Day): number {
    return Math.floor(endOfDay(day) / 1000) + this.deps.statsDays * DAY_SECONDS;
  }
}
