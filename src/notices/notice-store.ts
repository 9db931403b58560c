import { isLanguage, type Language } from '../core/knowledge.js';
import type { RedisConnection } from '../infra/redis.js';
import { NoticeKeys } from './notice-keys.js';
import { BROADCAST_KINDS, NOTICE_AUDIENCES, type BroadcastKind, type BroadcastProgress, type BroadcastStatus, type EventNotice, type RecipientState, type StoredNotice } from './notice-types.js';

/** A notice and the record of whom it reached are kept this long after the event, for the console's list of past notices. */
export const NOTICE_RETENTION_DAYS = 90;
const RETENTION_MS = NOTICE_RETENTION_DAYS * 86_400_000;

/**
 * KEYS notice, recipients; ARGV recipient, to, kind, expireAt (ms). Moves one recipient of one
 * sending to its next state and counts it, atomically: '' -> waiting (matched), waiting -> sending
 * | skipped | failed, sending -> waiting (an attempt that will be retried) | sent | failed | uncertain.
 * 'ok', or the state it is in when the move is not allowed ('gone' when the notice expired).
 */
const TRANSITION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local prev = redis.call('HGET', KEYS[2], ARGV[1]) or ''
local to = ARGV[2]
local allowed = (prev == '' and to == 'waiting')
  or (prev == 'waiting' and (to == 'sending' or to == 'skipped' or to == 'failed'))
  or (prev == 'sending' and (to == 'waiting' or to == 'sent' or to == 'failed' or to == 'uncertain'))
if not allowed then return prev end
redis.call('HSET', KEYS[2], ARGV[1], to)
if prev == '' then
  redis.call('PEXPIREAT', KEYS[2], ARGV[4])
  redis.call('HINCRBY', KEYS[1], ARGV[3] .. ':matched', 1)
end
if to == 'sent' or to == 'failed' or to == 'skipped' or to == 'uncertain' then redis.call('HINCRBY', KEYS[1], ARGV[3] .. ':' .. to, 1) end
return 'ok'`;

/** KEYS notice; ARGV by, at. Cancels a scheduled notice (its cancellation's sending queued): 1, or 0 when it was cancelled already (or is gone). */
const CANCEL = `
if redis.call('HGET', KEYS[1], 'status') ~= 'scheduled' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelledBy', ARGV[1], 'cancelledAt', ARGV[2], 'cancellation:status', 'queued')
if redis.call('HGET', KEYS[1], 'reminder:status') == 'scheduled' then redis.call('HSET', KEYS[1], 'reminder:status', 'cancelled') end
return 1`;

/** KEYS notice; ARGV kind, status, finishedAt. Ends a sending, unless the notice expired meanwhile. */
const FINISH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':status', ARGV[2], ARGV[1] .. ':finishedAt', ARGV[3])
return 1`;

/** KEYS notice; ARGV kind, now. Starts (or resumes) a sending: its start, kept from the first run, is returned. */
const START = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], ARGV[1] .. ':startedAt', ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1] .. ':status', 'sending')
return redis.call('HGET', KEYS[1], ARGV[1] .. ':startedAt')`;

/** The states in which a notice may have arrived: a sending under way or uncertain counts, since it may have. */
const REACHED = new Set(['sent', 'sending', 'uncertain']);

const json = <T>(text: string | undefined, fallback: T): T => {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
};

function progress(hash: Record<string, string>, kind: BroadcastKind): BroadcastProgress {
  const count = (name: string) => Number(hash[`${kind}:${name}`] ?? 0) || 0;
  return {
    status: (hash[`${kind}:status`] as BroadcastStatus | undefined) ?? 'none',
    startedAt: hash[`${kind}:startedAt`] || undefined,
    finishedAt: hash[`${kind}:finishedAt`] || undefined,
    matched: count('matched'),
    sent: count('sent'),
    failed: count('failed'),
    skipped: count('skipped'),
    uncertain: count('uncertain'),
  };
}

/** A notice from its hash; undefined for none. */
function parseNotice(hash: Record<string, string>): StoredNotice | undefined {
  if (!hash.id || !hash.startsAt) return undefined;
  const titles = json<Record<string, string>>(hash.titles, {});
  return {
    id: hash.id,
    title: hash.title ?? '',
    titles: Object.fromEntries(Object.entries(titles).filter(([language]) => isLanguage(language))),
    startsAt: hash.startsAt,
    timeZone: hash.timeZone ?? 'UTC',
    link: hash.link ?? '',
    countries: json<'all' | string[]>(hash.countries, 'all'),
    languages: json<'all' | Language[]>(hash.languages, 'all'),
    audience: (NOTICE_AUDIENCES as readonly string[]).includes(hash.audience ?? '') ? (hash.audience as EventNotice['audience']) : 'both',
    createdBy: hash.createdBy ?? '',
    createdAt: hash.createdAt ?? '',
    status: hash.status === 'cancelled' ? 'cancelled' : 'scheduled',
    cancelledAt: hash.cancelledAt || undefined,
    cancelledBy: hash.cancelledBy || undefined,
    reminderAt: hash.reminderAt || undefined,
    announce: progress(hash, 'announce'),
    reminder: progress(hash, 'reminder'),
    cancellation: progress(hash, 'cancellation'),
  };
}

/**
 * Event notices in Redis: a hash per notice (what staff announced, its status, each sending's
 * counts), a hash per sending of the recipients' states, and an index by the event's start. All
 * of a notice's keys expire NOTICE_RETENTION_DAYS after the event.
 */
export class NoticeStore {
  readonly keys: NoticeKeys;

  constructor(
    private readonly redis: RedisConnection,
    keyPrefix = 'lotse:',
  ) {
    this.keys = new NoticeKeys(keyPrefix);
  }

  private expireAt(notice: Pick<EventNotice, 'startsAt'>): number {
    return Date.parse(notice.startsAt) + RETENTION_MS;
  }

  /** Stores a new notice: its announcement queued, its reminder scheduled (or none). */
  async create(notice: EventNotice): Promise<void> {
    const key = this.keys.notice(notice.id);
    const fields: Record<string, string> = {
      id: notice.id,
      title: notice.title,
      titles: JSON.stringify(notice.titles),
      startsAt: notice.startsAt,
      timeZone: notice.timeZone,
      link: notice.link,
      countries: JSON.stringify(notice.countries),
      languages: JSON.stringify(notice.languages),
      audience: notice.audience,
      createdBy: notice.createdBy,
      createdAt: notice.createdAt,
      status: notice.status,
      'announce:status': 'queued',
      'reminder:status': notice.reminderAt ? 'scheduled' : 'none',
      ...(notice.reminderAt ? { reminderAt: notice.reminderAt } : {}),
    };
    await this.redis.multi().hset(key, fields).pexpireat(key, this.expireAt(notice)).exec();
    await this.redis.zadd(this.keys.index, Date.parse(notice.startsAt), notice.id);
  }

  async get(id: string): Promise<StoredNotice | undefined> {
    return parseNotice(await this.redis.hgetall(this.keys.notice(id)));
  }

  /** Every notice kept, by the event's start; the index forgets notices past their retention. */
  async list(now = Date.now()): Promise<StoredNotice[]> {
    await this.redis.zremrangebyscore(this.keys.index, '-inf', now - RETENTION_MS);
    const ids = await this.redis.zrange(this.keys.index, 0, -1);
    const notices = await Promise.all(ids.map((id) => this.get(id)));
    return notices.filter((notice): notice is StoredNotice => notice !== undefined);
  }

  /** Removes a notice whose sendings could not be queued. */
  async remove(id: string): Promise<void> {
    await this.redis.zrem(this.keys.index, id);
    for (const key of [this.keys.notice(id), ...BROADCAST_KINDS.map((kind) => this.keys.recipients(id, kind))]) await this.redis.del(key);
  }

  async cancel(id: string, by: string, at: Date): Promise<boolean> {
    return (await this.redis.eval(CANCEL, 1, this.keys.notice(id), by, at.toISOString())) === 1;
  }

  /** Starts or resumes a sending; its first start (which subscribers count by), or undefined when the notice is gone. */
  async start(id: string, kind: BroadcastKind, now: Date): Promise<Date | undefined> {
    const started = (await this.redis.eval(START, 1, this.keys.notice(id), kind, now.toISOString())) as string | null;
    return started ? new Date(started) : undefined;
  }

  async finish(id: string, kind: BroadcastKind, status: BroadcastStatus, now: Date): Promise<void> {
    await this.redis.eval(FINISH, 1, this.keys.notice(id), kind, status, now.toISOString());
  }

  /** The states of some recipients of a sending ('' for none yet). */
  async states(id: string, kind: BroadcastKind, recipients: string[]): Promise<string[]> {
    if (recipients.length === 0) return [];
    return (await this.redis.hmget(this.keys.recipients(id, kind), ...recipients)).map((state) => state ?? '');
  }

  /** Which of some subscribers the notice reached (its announcement or reminder sent, or perhaps sent): they are told of a cancellation. */
  async reached(id: string, recipients: string[]): Promise<boolean[]> {
    if (recipients.length === 0) return [];
    const [announced, reminded] = await Promise.all([this.states(id, 'announce', recipients), this.states(id, 'reminder', recipients)]);
    return recipients.map((_key, i) => REACHED.has(announced[i]!) || REACHED.has(reminded[i]!));
  }

  /** Moves a recipient on (see TRANSITION): 'ok', or the state that forbade it. */
  async transition(notice: Pick<EventNotice, 'id' | 'startsAt'>, kind: BroadcastKind, recipient: string, to: RecipientState): Promise<string> {
    return (await this.redis.eval(TRANSITION, 2, this.keys.notice(notice.id), this.keys.recipients(notice.id, kind), recipient, to, kind, String(this.expireAt(notice)))) as string;
  }

  /** Erasure: the record of which notices went to the user. */
  async forgetRecipient(conversationKey: string): Promise<void> {
    for (const id of await this.redis.zrange(this.keys.index, 0, -1)) {
      for (const kind of BROADCAST_KINDS) await this.redis.hdel(this.keys.recipients(id, kind), conversationKey);
    }
  }

  /** For a request of access: the notices that went (or were to go) to the user. */
  async receivedBy(conversationKey: string): Promise<{ notice: string; title: string; startsAt: string; sending: BroadcastKind; state: string }[]> {
    const received = [];
    for (const id of await this.redis.zrange(this.keys.index, 0, -1)) {
      for (const kind of BROADCAST_KINDS) {
        const state = await this.redis.hget(this.keys.recipients(id, kind), conversationKey);
        if (!state) continue;
        const notice = await this.get(id);
        if (notice) received.push({ notice: id, title: notice.title, startsAt: notice.startsAt, sending: kind, state });
      }
    }
    return received;
  }
}
