import { hashTag, type RedisConnection } from '../infra/redis.js';
import type { Day } from './utc-days.js';

/**
 * Where statistics live in Redis. Every key carries the one hash tag `{stats}` on a Redis Cluster
 * (the text itself on one Redis, whose key names stay plain): a turn's writes are then one
 * pipeline and one script, and a day range is read in one pipeline, on a cluster too. The keys
 * are small (a few kB a day, plus the unanswered questions of the retention period), so one slot
 * holds them easily.
 *
 *   <prefix>stats:day:<YYYY-MM-DD>       hash: the day's counters (field names in statistics-fields.ts); kept STATS_DAYS
 *   <prefix>stats:seen:<YYYY-MM-DD>      set: keyed hashes of the conversations active that day, to count each once; kept until the day after
 *   <prefix>stats:waited:<case id>       marker: the case's first claim was counted (a release and a new claim are not counted again); kept RETENTION_DAYS
 *   <prefix>stats:unanswered:question:<id>  JSON {at, day, language, text (redacted), conversation (keyed hash)}; expires RETENTION_DAYS after it was asked
 *   <prefix>stats:unanswered:timeline    sorted set: question ids (random) scored by their time, for range reads; pruned past RETENTION_DAYS
 *   <prefix>stats:unanswered:by-conversation:<keyed hash>  set of question ids, for erasure and export; kept RETENTION_DAYS after the last
 *   <prefix>stats:unanswered:links       hash: question id → JSON {document, at, by}: the document staff linked to its group; pruned with the timeline
 */
export class StatisticsKeys {
  private readonly base: string;

  constructor(redis: RedisConnection, prefix: string) {
    this.base = `${prefix}${hashTag(redis, 'stats')}:`;
  }

  /** Every key starts with this (tests and tools). */
  get all(): string {
    return this.base;
  }

  day(day: Day): string {
    return `${this.base}day:${day}`;
  }

  seen(day: Day): string {
    return `${this.base}seen:${day}`;
  }

  waited(caseId: string): string {
    return `${this.base}waited:${caseId}`;
  }

  question(id: string): string {
    return `${this.base}unanswered:question:${id}`;
  }

  get timeline(): string {
    return `${this.base}unanswered:timeline`;
  }

  byConversation(conversationHash: string): string {
    return `${this.base}unanswered:by-conversation:${conversationHash}`;
  }

  get links(): string {
    return `${this.base}unanswered:links`;
  }
}
