import { randomBytes } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from '../infra/redis.js';
import type { StatisticsKeys } from './statistics-keys.js';
import { queueScript } from './statistics-scripts.js';
import { addDays, dayOf, endOfDay, type Day } from './utc-days.js';

/** Longest question text kept (a question longer than this is cut: it guides content work, no more). */
export const MAX_QUESTION_LENGTH = 500;

/** A question the knowledge could not answer, as kept: redacted, with a keyed hash of its conversation (never its id). */
export interface UnansweredQuestion {
  id: string;
  /** ISO time it was asked. */
  at: string;
  day: Day;
  language: string;
  /** The question with personal data redacted. */
  text: string;
  /** The keyed hash of the conversation (src/infra/log-ids.ts): for erasure, and to count distinct askers. */
  conversation: string;
}

/** A knowledge document staff linked to a group of questions: content work done for them. */
export interface QuestionLink {
  document: string;
  at: string;
  /** The console account that linked it. */
  by: string;
}

/** Question ids are random: they carry no time, no user, nothing of the text. */
export const QUESTION_ID = /^[a-f0-9]{16}$/;

const DAY_SECONDS = 86_400;

/**
 * The questions the knowledge base could not answer, kept RETENTION_DAYS for content work and
 * grouped when read (question-groups.ts). Erased with their user's conversation; shown in an export.
 */
export class UnansweredQuestions {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: StatisticsKeys,
    private readonly retentionDays: number,
  ) {}

  /** Queues the question on a pipeline (the turn's other statistics go in the same round trip); returns its id. */
  queueAdd(pipeline: ChainableCommander, conversationHash: string, question: { at: Date; language: string; text: string }): string {
    const id = randomBytes(8).toString('hex');
    const record: Omit<UnansweredQuestion, 'id'> = {
      at: question.at.toISOString(),
      day: dayOf(question.at),
      language: question.language,
      text: question.text.trim().slice(0, MAX_QUESTION_LENGTH),
      conversation: conversationHash,
    };
    const retentionMs = this.retentionDays * DAY_SECONDS * 1000;
    queueScript(pipeline, 'statsUnanswered', [this.keys.question(id), this.keys.timeline, this.keys.byConversation(conversationHash), this.keys.links], [
      id,
      JSON.stringify(record),
      question.at.getTime(),
      question.at.getTime() + retentionMs,
      this.retentionDays * DAY_SECONDS,
      Date.now() - retentionMs,
    ]);
    return id;
  }

  /** The questions asked from `from` to `to` (UTC days), latest first, at most `limit`; and how many there were. */
  async inRange(from: Day, to: Day, limit: number, now = new Date()): Promise<{ questions: UnansweredQuestion[]; total: number }> {
    const start = Math.max(Date.parse(`${from}T00:00:00Z`), now.getTime() - this.retentionDays * DAY_SECONDS * 1000);
    const end = endOfDay(to) - 1;
    if (start > end) return { questions: [], total: 0 };
    const [ids, total] = await Promise.all([
      this.redis.zrevrangebyscore(this.keys.timeline, end, start, 'LIMIT', 0, limit),
      this.redis.zcount(this.keys.timeline, start, end),
    ]);
    return { questions: await this.read(ids), total };
  }

  /** The links of these questions (those that have one). */
  async links(ids: readonly string[]): Promise<Map<string, QuestionLink>> {
    const found = new Map<string, QuestionLink>();
    if (ids.length === 0) return found;
    const values = await this.redis.hmget(this.keys.links, ...ids);
    values.forEach((value, i) => {
      const link = value ? parseJson<QuestionLink>(value) : undefined;
      if (link) found.set(ids[i]!, link);
    });
    return found;
  }

  /** Links a document to the questions still kept (null: removes their links); how many were kept. */
  async link(ids: readonly string[], link: QuestionLink | null): Promise<number> {
    const unique = [...new Set(ids)];
    const exists = await this.redis.mget(unique.map((id) => this.keys.question(id)));
    const kept = unique.filter((_id, i) => exists[i] !== null);
    if (kept.length === 0) return 0;
    if (link) await this.redis.hset(this.keys.links, Object.fromEntries(kept.map((id) => [id, JSON.stringify(link)])));
    else await this.redis.hdel(this.keys.links, ...kept);
    return kept.length;
  }

  /** A conversation's questions (for an export), oldest first. */
  async forConversation(conversationHash: string): Promise<UnansweredQuestion[]> {
    const ids = await this.redis.smembers(this.keys.byConversation(conversationHash));
    return (await this.read(ids)).sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * Removes a conversation's questions and their links, and the conversation from the days' sets
   * of active conversations (the counters themselves hold no one's data and stay). How many questions went.
   */
  async eraseConversation(conversationHash: string, now = new Date()): Promise<number> {
    const set = this.keys.byConversation(conversationHash);
    const ids = await this.redis.smembers(set);
    const today = dayOf(now);
    const multi = this.redis.multi();
    if (ids.length > 0) {
      multi.del(...ids.map((id) => this.keys.question(id)));
      multi.hdel(this.keys.links, ...ids);
      multi.zrem(this.keys.timeline, ...ids);
    }
    multi.del(set);
    multi.srem(this.keys.seen(today), conversationHash);
    multi.srem(this.keys.seen(addDays(today, -1)), conversationHash);
    await multi.exec();
    return ids.length;
  }

  private async read(ids: readonly string[]): Promise<UnansweredQuestion[]> {
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => this.keys.question(id)));
    return values.flatMap((value, i) => {
      const record = value ? parseJson<Omit<UnansweredQuestion, 'id'>>(value) : undefined;
      return record && typeof record.text === 'string' ? [{ ...record, id: ids[i]! }] : [];
    });
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
