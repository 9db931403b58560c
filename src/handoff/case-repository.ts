import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../infra/redis.js';
import type { AdvisorRef, Case, CaseEvent, CaseOutcome, CaseStatus, NewCase } from '../core/case.js';
import type { DangerKind } from '../core/danger.js';

type EventBody = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'id'> : never) : never;
export type NewCaseEvent = EventBody;

/** Rank in a pool's queue: urgent before high before normal, then oldest first. */
const RANK = { urgent: 0, high: 1, normal: 2 } as const;
const score = (c: Pick<Case, 'priority' | 'createdAt'>) => RANK[c.priority] * 1e13 + Date.parse(c.createdAt);

/** What an atomic transition answered. */
export type Transition = { ok: true } | { ok: false; reason: 'taken'; holder?: AdvisorRef } | { ok: false; reason: 'closed' | 'not_holder' | 'not_found' };

/**
 * Lua transitions on a case's state hash (status, pool, holder): compare and set in one step, so
 * that of two advisors acting at once exactly one wins. KEYS[1] the state hash; ARGV[1] the action,
 * ARGV[2] the advisor id, ARGV[3] the advisor JSON, ARGV[4] now, ARGV[5] the target pool or outcome,
 * ARGV[6] and ARGV[7] the id and JSON of the colleague a case is handed over to.
 */
const TRANSITION = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
local holder = redis.call('HGET', KEYS[1], 'holderId') or ''
local action = ARGV[1]
if status == 'resolved' or status == 'cancelled' then return {'closed'} end
if action == 'claim' then
  if status == 'claimed' then return {'taken', redis.call('HGET', KEYS[1], 'holder') or ''} end
  redis.call('HSET', KEYS[1], 'status', 'claimed', 'holderId', ARGV[2], 'holder', ARGV[3], 'claimedAt', ARGV[4], 'updatedAt', ARGV[4])
  return {'ok'}
end
if action == 'cancel' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'closedAt', ARGV[4], 'updatedAt', ARGV[4])
  return {'ok'}
end
if status == 'claimed' and holder ~= ARGV[2] then return {'taken', redis.call('HGET', KEYS[1], 'holder') or ''} end
if action == 'reply' then
  if status ~= 'claimed' then return {'not_holder'} end
  return {'ok'}
end
if action == 'handover' then
  if status ~= 'claimed' then return {'not_holder'} end
  redis.call('HSET', KEYS[1], 'holderId', ARGV[6], 'holder', ARGV[7], 'claimedAt', ARGV[4], 'updatedAt', ARGV[4])
  return {'ok'}
end
if action == 'release' then
  if status ~= 'claimed' then return {'not_holder'} end
  redis.call('HSET', KEYS[1], 'status', 'open', 'updatedAt', ARGV[4])
  redis.call('HDEL', KEYS[1], 'holderId', 'holder', 'claimedAt')
  return {'ok'}
end
if action == 'transfer' then
  redis.call('HSET', KEYS[1], 'status', 'open', 'pool', ARGV[5], 'updatedAt', ARGV[4])
  redis.call('HDEL', KEYS[1], 'holderId', 'holder', 'claimedAt')
  return {'ok'}
end
if action == 'resolve' then
  redis.call('HSET', KEYS[1], 'status', 'resolved', 'closedAt', ARGV[4], 'updatedAt', ARGV[4], 'outcome', ARGV[5])
  return {'ok'}
end
return {'not_found'}`;

/**
 * Cases in Redis: the case as opened (JSON), its changing state (a hash), its history (a stream),
 * the active cases of each pool (a sorted set, most urgent and oldest first), the case of each
 * conversation, and recent claim times per pool (for the expected wait). Keys of one case share a
 * hash tag (`case:{id}`), so that a case's keys are written together also on a Redis Cluster, and
 * cases spread over its masters; the keys of a conversation and of a pool lie elsewhere and are
 * written in steps of their own, in an order that leaves nothing unfindable by erasure.
 * Everything expires with the conversation's retention period.
 */
export class CaseRepository {
  private readonly ttl: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'lotse:',
    retentionDays = 90,
  ) {
    this.ttl = retentionDays * 86_400;
    if (!('caseTransition' in redis)) redis.defineCommand('caseTransition', { numberOfKeys: 1, lua: TRANSITION });
  }

  private keys(id: string) {
    const base = `${this.prefix}case:{${id}}`;
    return { body: base, state: `${base}:state`, events: `${base}:events`, seen: `${base}:seen` };
  }

  private poolKey(pool: string) {
    return `${this.prefix}pool:${pool}:cases`;
  }

  private waitsKey(pool: string) {
    return `${this.prefix}pool:${pool}:claim-waits`;
  }

  async create(input: NewCase & { pool: string }): Promise<Case> {
    const created: Case = { ...input, id: randomUUID(), status: 'open', createdAt: new Date().toISOString() };
    const k = this.keys(created.id);
    const { status, pool, ...body } = created;
    const all = `${this.prefix}cases-of:${input.conversationKey}`;
    // The conversation's list of cases first: a case is never written where erasure cannot find it.
    await this.redis.multi().sadd(all, created.id).expire(all, this.ttl).exec();
    await this.redis
      .multi()
      .set(k.body, JSON.stringify(body), 'EX', this.ttl)
      .hset(k.state, 'status', status, 'pool', pool, 'updatedAt', created.createdAt)
      .expire(k.state, this.ttl)
      .exec();
    await this.redis.set(`${this.prefix}case-open:${input.conversationKey}`, created.id, 'EX', this.ttl);
    await this.redis.zadd(this.poolKey(pool), score(created), created.id);
    return created;
  }

  async get(id: string): Promise<Case | undefined> {
    const k = this.keys(id);
    const [body, state] = await Promise.all([this.redis.get(k.body), this.redis.hgetall(k.state)]);
    if (!body || !state.status) return undefined;
    const c = JSON.parse(body) as Case;
    c.status = state.status as CaseStatus;
    c.pool = state.pool!;
    c.updatedAt = state.updatedAt;
    c.claimedBy = state.holder ? (JSON.parse(state.holder) as AdvisorRef) : undefined;
    c.claimedAt = state.claimedAt;
    c.closedAt = state.closedAt;
    c.outcome = state.outcome ? (state.outcome as CaseOutcome) : undefined;
    c.slack = state.slack ? (JSON.parse(state.slack) as Case['slack']) : undefined;
    return c;
  }

  async findActive(conversationKey: string): Promise<Case | undefined> {
    const id = await this.redis.get(`${this.prefix}case-open:${conversationKey}`);
    const found = id ? await this.get(id) : undefined;
    return found && (found.status === 'open' || found.status === 'claimed') ? found : undefined;
  }

  /**
   * Runs an atomic transition, then keeps the pool queues in step with it. `known` is the case as the
   * caller just read it (its pool, priority and age place it in the queues); read here when not given.
   */
  async transition(id: string, action: 'claim' | 'release' | 'transfer' | 'resolve' | 'cancel' | 'reply' | 'handover', advisor?: AdvisorRef, arg = '', to?: AdvisorRef, known?: Case): Promise<Transition> {
    const before = known ?? (await this.get(id));
    const run = (this.redis as unknown as Record<string, (...a: string[]) => Promise<string[]>>).caseTransition!;
    const [result, holder] = await run.call(this.redis, this.keys(id).state, action, advisor?.id ?? '', advisor ? JSON.stringify(advisor) : '', new Date().toISOString(), arg, to?.id ?? '', to ? JSON.stringify(to) : '');
    if (result === 'taken') return { ok: false, reason: 'taken', holder: holder ? (JSON.parse(holder) as AdvisorRef) : undefined };
    if (result !== 'ok') return { ok: false, reason: result as 'closed' | 'not_holder' | 'not_found' };
    if (!before) return { ok: true };
    if (action === 'transfer') {
      await this.redis.zrem(this.poolKey(before.pool), id);
      await this.redis.zadd(this.poolKey(arg), score(before), id);
    }
    if (action === 'resolve' || action === 'cancel') {
      await this.redis.zrem(this.poolKey(before.pool), id);
      await this.redis.del(`${this.prefix}case-open:${before.conversationKey}`);
    }
    if (action === 'claim') {
      const waits = this.waitsKey(before.pool);
      await this.redis.multi().lpush(waits, Date.now() - Date.parse(before.createdAt)).ltrim(waits, 0, 49).expire(waits, 30 * 86_400).exec();
    }
    return { ok: true };
  }

  /** Active cases (open or claimed) of the pools, most urgent and oldest first. */
  async listActive(pools: string[]): Promise<Case[]> {
    const ids = (await Promise.all(pools.map((pool) => this.redis.zrange(this.poolKey(pool), 0, 499, 'WITHSCORES')))).flatMap((pairs) => {
      const entries: [string, number][] = [];
      for (let i = 0; i < pairs.length; i += 2) entries.push([pairs[i]!, Number(pairs[i + 1])]);
      return entries;
    });
    ids.sort((a, b) => a[1] - b[1]);
    const cases = await Promise.all(ids.map(([id]) => this.get(id)));
    // A case that expired with its retention period while still queued leaves its id behind: it goes too.
    const expired = ids.filter((_, i) => cases[i] === undefined).map(([id]) => id);
    if (expired.length > 0) await Promise.all(pools.map((pool) => this.redis.zrem(this.poolKey(pool), ...expired)));
    return cases.filter((c): c is Case => c !== undefined && (c.status === 'open' || c.status === 'claimed'));
  }

  /** Open cases ahead of this one in its pool, and the median of the pool's recent claim waits (ms), if any. */
  async queueInfo(c: Case): Promise<{ ahead: number; medianWaitMs?: number }> {
    const active = await this.listActive([c.pool]);
    const ahead = active.filter((other) => other.status === 'open' && score(other) < score(c)).length;
    const waits = (await this.redis.lrange(this.waitsKey(c.pool), 0, -1)).map(Number).sort((a, b) => a - b);
    return { ahead, medianWaitMs: waits.length > 0 ? waits[Math.floor(waits.length / 2)] : undefined };
  }

  /**
   * Appends an event once (a repeated `dedupeKey` adds nothing); returns its id, or undefined when it
   * was a repeat. The case, its history and the conversation's list of cases are then kept for the
   * retention period from this event on, together: a history never outlives the case, nor a case
   * the list through which erasure and export find it.
   */
  async appendEvent(id: string, event: NewCaseEvent, dedupeKey?: string, conversationKey?: string): Promise<string | undefined> {
    const k = this.keys(id);
    if (dedupeKey) {
      if ((await this.redis.hsetnx(k.seen, dedupeKey, '1')) === 0) return undefined;
      await this.redis.expire(k.seen, this.ttl);
    }
    const eventId = await this.redis.xadd(k.events, '*', 'e', JSON.stringify(event));
    // One slot (the case's hash tag): one MULTI also on a Redis Cluster.
    await this.redis.multi().expire(k.events, this.ttl).expire(k.body, this.ttl).expire(k.state, this.ttl).exec();
    if (conversationKey) await this.redis.expire(`${this.prefix}cases-of:${conversationKey}`, this.ttl);
    return eventId ?? undefined;
  }

  /** The ids of every case of a conversation (export, erasure). */
  async caseIdsOf(conversationKey: string): Promise<string[]> {
    return this.redis.smembers(`${this.prefix}cases-of:${conversationKey}`);
  }

  async events(id: string, afterId?: string): Promise<CaseEvent[]> {
    const entries = await this.redis.xrange(this.keys(id).events, afterId ? `(${afterId}` : '-', '+');
    return entries.map(([eventId, fields]) => ({ ...(JSON.parse(fields[1]!) as object), id: eventId }) as CaseEvent);
  }

  async attachSlack(id: string, ref: { channel: string; ts: string }): Promise<void> {
    await this.redis.hset(this.keys(id).state, 'slack', JSON.stringify(ref));
    await this.redis.set(`${this.prefix}slack-thread:${ref.channel}:${ref.ts}`, id, 'EX', this.ttl);
  }

  async findBySlackThread(channel: string, ts: string): Promise<Case | undefined> {
    const id = await this.redis.get(`${this.prefix}slack-thread:${channel}:${ts}`);
    return id ? this.get(id) : undefined;
  }

  async setWantsWoman(id: string): Promise<void> {
    const k = this.keys(id);
    const body = await this.redis.get(k.body);
    if (!body) return;
    await this.redis.set(k.body, JSON.stringify({ ...(JSON.parse(body) as object), wantsWoman: true }), 'KEEPTTL');
  }

  /** Makes the case an urgent safety case and moves it up its pool's queue. */
  async raiseToSafety(c: Case, danger: DangerKind | undefined): Promise<void> {
    const k = this.keys(c.id);
    const body = await this.redis.get(k.body);
    if (!body) return;
    const raised = { ...(JSON.parse(body) as Case), priority: 'urgent' as const, reason: 'safety' as const, ...(danger ? { danger } : {}) };
    await this.redis.set(k.body, JSON.stringify(raised), 'KEEPTTL');
    // XX: only while it is still in the queue (an advisor holding it keeps it).
    await this.redis.zadd(this.poolKey(c.pool), 'XX', score(raised), c.id);
  }

  /** Erasure: every case of a conversation, with its state, history, queue entries and Slack thread link. */
  async deleteForConversation(conversationKey: string): Promise<number> {
    const all = `${this.prefix}cases-of:${conversationKey}`;
    const ids = await this.redis.smembers(all);
    for (const id of ids) {
      const c = await this.get(id);
      if (c) await this.redis.zrem(this.poolKey(c.pool), id);
      if (c?.slack) await this.redis.del(`${this.prefix}slack-thread:${c.slack.channel}:${c.slack.ts}`);
      const k = this.keys(id);
      await this.redis.del(k.body, k.state, k.events, k.seen);
    }
    // Two keys of the conversation, in two slots of a cluster: one DEL each.
    await this.redis.del(`${this.prefix}case-open:${conversationKey}`);
    await this.redis.del(all);
    return ids.length;
  }
}
