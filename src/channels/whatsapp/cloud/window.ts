import type { Redis } from 'ioredis';
import { hashTag } from '../../../infra/redis.js';

/** Held replies (and the marker of a window's template) are kept this long; a user who writes back later gets none of them. */
export const HELD_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Warnings taken at once by one poll; the rest wait for the next. */
const WARNINGS_PER_TAKE = 200;

/**
 * KEYS: window. ARGV: at (ms), ttlMs. Keeps the latest message's time (a late redelivery never moves
 * the window back); 1 when it moved. The warning is scheduled apart (ZADD GT: of two racing calls
 * the later end wins), so that the script keeps to one key, as a Redis Cluster requires.
 */
const OPENED = `
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** KEYS: warnings. ARGV: now, limit. Takes the due warnings: two gateways never both take one. */
const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due, 2 do redis.call('ZREM', KEYS[1], due[i]) end
return due`;

/** KEYS: held list, held ids. ARGV: reply json, ttlMs, id ('' for none). A reply held twice (a retried send) is kept once. */
const HOLD = `
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/** KEYS: held list, held ids. Takes them all at once: two webhook calls never both redeliver one. */
const TAKE_HELD = `
local held = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2])
return held`;

/** KEYS: template marker. ARGV: closedAt, ttlMs. One marker per user, naming the closed window its template went to. */
const TEMPLATE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** KEYS: template marker. ARGV: closedAt. */
const TEMPLATE_FAILED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface WindowSettings {
  /** The customer-service window: 24 h after the user's last message. */
  windowMs: number;
  /** How long before the window closes the advisors are warned. */
  warnBeforeMs: number;
}

/**
 * WhatsApp's 24-hour customer-service window of each user, in Redis so that every gateway and
 * sender sees the same: free replies only while it is open, an approved template once it has
 * closed. It also keeps the replies that waited for the user to write again, and schedules the
 * advisors' warning before a window closes.
 */
export class ConversationWindow {
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly settings: WindowSettings,
    private readonly retentionMs = HELD_RETENTION_MS,
  ) {
    this.base = `${keyPrefix}wa:`;
  }

  private keys(userId: string) {
    return {
      window: `${this.base}window:${userId}`,
      // Used together by one script: on a Redis Cluster they share the user's hash tag.
      held: `${this.base}held:${hashTag(this.redis, userId)}`,
      heldIds: `${this.base}held-ids:${hashTag(this.redis, userId)}`,
      template: `${this.base}template:${userId}`,
    };
  }

  private get warnings(): string {
    return `${this.base}warnings`;
  }

  /** The user wrote at `atMs`: the window runs until `atMs + windowMs`, and its warning is rescheduled. */
  async opened(userId: string, atMs: number): Promise<void> {
    // The window's end stays known while held replies and template markers can refer to it.
    const ttl = this.settings.windowMs + this.retentionMs;
    const at = Math.floor(atMs);
    if ((await this.redis.eval(OPENED, 1, this.keys(userId).window, String(at), String(ttl))) !== 1) return;
    await this.redis.zadd(this.warnings, 'GT', at + this.settings.windowMs - this.settings.warnBeforeMs, userId);
    await this.redis.pexpire(this.warnings, ttl);
  }

  /** When the user's window closes (ms), or undefined when they never wrote (or too long ago). */
  async closesAt(userId: string): Promise<number | undefined> {
    const last = await this.redis.get(this.keys(userId).window);
    return last === null ? undefined : Number(last) + this.settings.windowMs;
  }

  async isOpen(userId: string, nowMs: number): Promise<boolean> {
    const closesAt = await this.closesAt(userId);
    return closesAt !== undefined && nowMs < closesAt;
  }

  /** The windows whose warning is due, each taken by one caller only; windows already closed are dropped. */
  async takeDueWarnings(nowMs: number): Promise<{ userId: string; closesAt: number }[]> {
    const due = (await this.redis.eval(TAKE_DUE, 1, this.warnings, String(Math.floor(nowMs)), String(WARNINGS_PER_TAKE))) as string[];
    const taken: { userId: string; closesAt: number }[] = [];
    for (let i = 0; i + 1 < due.length; i += 2) {
      const closesAt = Number(due[i + 1]) + this.settings.warnBeforeMs;
      if (closesAt > nowMs) taken.push({ userId: due[i]!, closesAt });
    }
    return taken;
  }

  /** Keeps a reply (JSON) until the user writes again; with an id, a reply held twice is kept once. */
  async hold(userId: string, replyJson: string, id = ''): Promise<boolean> {
    const keys = this.keys(userId);
    return (await this.redis.eval(HOLD, 2, keys.held, keys.heldIds, replyJson, String(this.retentionMs), id)) === 1;
  }

  /** The held replies (JSON), oldest first, taken out. */
  async takeHeld(userId: string): Promise<string[]> {
    const keys = this.keys(userId);
    return (await this.redis.eval(TAKE_HELD, 2, keys.held, keys.heldIds)) as string[];
  }

  /**
   * Marks the template (or, without one, the advisors' notice) of the window that closed at
   * `windowClosedAt` as sent; true only for the first call, so that a closed window gets one.
   */
  async templateSent(userId: string, windowClosedAt: number): Promise<boolean> {
    return (await this.redis.eval(TEMPLATE, 1, this.keys(userId).template, String(Math.floor(windowClosedAt)), String(this.retentionMs))) === 1;
  }

  /** Undoes templateSent when sending the template failed, so that the retry sends it. */
  async templateFailed(userId: string, windowClosedAt: number): Promise<void> {
    await this.redis.eval(TEMPLATE_FAILED, 1, this.keys(userId).template, String(Math.floor(windowClosedAt)));
  }

  /** What is kept of the user, read without taking anything (export): when they last wrote, the replies held for them, the template marker. */
  async export(userId: string): Promise<{ lastMessageAt?: string; heldReplies: unknown[]; templateSentForWindowClosedAt?: string } | undefined> {
    const keys = this.keys(userId);
    const [last, held, template] = await Promise.all([this.redis.get(keys.window), this.redis.lrange(keys.held, 0, -1), this.redis.get(keys.template)]);
    if (last === null && held.length === 0 && template === null) return undefined;
    const iso = (ms: string | null) => (ms === null ? undefined : new Date(Number(ms)).toISOString());
    return { lastMessageAt: iso(last), heldReplies: held.map((json) => JSON.parse(json) as unknown), templateSentForWindowClosedAt: iso(template) };
  }

  /** Erasure: everything kept of the user (the window, its warning, held replies, the template marker). */
  async erase(userId: string): Promise<void> {
    const keys = this.keys(userId);
    // One command per slot of a Redis Cluster (held and its ids share one).
    await this.redis.del(keys.window);
    await this.redis.del(keys.held, keys.heldIds);
    await this.redis.del(keys.template);
    await this.redis.zrem(this.warnings, userId);
  }
}
