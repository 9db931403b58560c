import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { hashTag } from '../../../infra/redis.js';

/** How long a session lives: ended after `idleMs` without activity, and `absoluteMs` after sign-in whatever happens. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** A working day without a pause of 8 hours, and never past a day: a forgotten browser does not stay signed in. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 8 * 3_600_000, absoluteMs: 24 * 3_600_000 };

export interface ConsoleSession {
  account: string;
  /** The session's CSRF token: sent back by the page in a header on every state-changing request. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
}

/** When the session ends (ms since the epoch): the earlier of its idle and its absolute end. */
export function sessionEndsAt(session: Pick<ConsoleSession, 'createdAt' | 'lastSeenAt'>, policy: SessionPolicy): number {
  return Math.min(session.lastSeenAt + policy.idleMs, session.createdAt + policy.absoluteMs);
}

export const isSessionLive = (session: Pick<ConsoleSession, 'createdAt' | 'lastSeenAt'>, now: number, policy: SessionPolicy): boolean => now < sessionEndsAt(session, policy);

/** 256 random bits, URL-safe: a session id or a CSRF token. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What a session id looks like; anything else is not looked up. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side console sessions in Redis. The key holds a SHA-256 of the session id, not the id
 * itself, so that a copy of Redis (a backup, a MONITOR) cannot be replayed as a cookie. Redis
 * expires a session at its end; the check on every read uses the injected clock, so the policy is
 * exact (and testable) whatever Redis's timing. `<prefix>console:sessions-of:<account>` lists an
 * account's sessions, so that removing an account ends them all.
 */
export class ConsoleSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lotse:',
    readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  private key(digest: string): string {
    // The console's keys are used together (MULTI): on a Redis Cluster they share one hash tag.
    return `${this.prefix}${hashTag(this.redis, 'console')}:session:${digest}`;
  }

  private ofAccount(account: string): string {
    return `${this.prefix}${hashTag(this.redis, 'console')}:sessions-of:${account}`;
  }

  /** A new session (a new id at every sign-in, so no id set before sign-in survives it). */
  async create(account: string): Promise<{ id: string; session: ConsoleSession }> {
    const id = randomToken();
    const now = this.now();
    const session: ConsoleSession = { account, csrf: randomToken(), createdAt: now, lastSeenAt: now };
    const digest = digestOf(id);
    await this.redis
      .multi()
      .hset(this.key(digest), { account, csrf: session.csrf, createdAt: String(now), lastSeenAt: String(now) })
      .pexpire(this.key(digest), this.policy.idleMs)
      .sadd(this.ofAccount(account), digest)
      .pexpire(this.ofAccount(account), this.policy.absoluteMs)
      .exec();
    return { id, session };
  }

  /** The live session of this id; an ended one is deleted and reads as none. */
  async read(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (!id || !SESSION_ID_PATTERN.test(id)) return undefined;
    const digest = digestOf(id);
    const fields = await this.redis.hgetall(this.key(digest));
    if (!fields.account || !fields.csrf) return undefined;
    const session: ConsoleSession = { account: fields.account, csrf: fields.csrf, createdAt: Number(fields.createdAt), lastSeenAt: Number(fields.lastSeenAt) };
    if (!Number.isFinite(session.createdAt) || !Number.isFinite(session.lastSeenAt) || !isSessionLive(session, this.now(), this.policy)) {
      await this.forget(digest, session.account);
      return undefined;
    }
    return session;
  }

  /** Counts activity: the idle end moves on (never past the absolute end). */
  async touch(id: string, session: ConsoleSession): Promise<void> {
    const now = this.now();
    session.lastSeenAt = now;
    const key = this.key(digestOf(id));
    const ttl = Math.max(1, sessionEndsAt(session, this.policy) - now);
    await this.redis.eval(TOUCH, 1, key, String(now), String(ttl));
  }

  /** Signs out this session. */
  async end(id: string | undefined): Promise<void> {
    if (!id || !SESSION_ID_PATTERN.test(id)) return;
    const digest = digestOf(id);
    const account = await this.redis.hget(this.key(digest), 'account');
    await this.forget(digest, account ?? undefined);
  }

  /** Ends every session of an account (removed, or its password changed); how many there were. */
  async endAll(account: string): Promise<number> {
    const digests = await this.redis.smembers(this.ofAccount(account));
    const live = digests.length > 0 ? await this.redis.del(...digests.map((digest) => this.key(digest))) : 0;
    await this.redis.del(this.ofAccount(account));
    return live;
  }

  private async forget(digest: string, account: string | undefined): Promise<void> {
    const multi = this.redis.multi().del(this.key(digest));
    if (account) multi.srem(this.ofAccount(account), digest);
    await multi.exec();
  }
}

/** Renews only a session that still exists: one ended meanwhile (signed out in another tab) stays ended. */
const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const digestOf = (id: string): string => createHash('sha256').update(id).digest('base64url');
