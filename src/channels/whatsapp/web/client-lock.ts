import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Extends the lock only while this holder's token is still in it. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes the lock only while this holder's token is still in it (never another's). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface ClientLockOptions {
  /** How long the lock lives without renewal (default 30 s): a crashed holder is replaced after at most this. */
  ttlMs?: number;
  /** The lock was found gone or held by another at a renewal: stop using the client at once. */
  onLost?: () => void;
  /** A renewal that failed (Redis unreachable); the lock is given up only once it may have expired. */
  onError?: (error: unknown) => void;
}

/**
 * Only one replica may drive the linked number: two WhatsApp Web sessions of one number throw each
 * other out ("CONFLICT"). The holder takes a Redis key with its own random token (SET NX PX) and
 * renews it every ttl/3; the key is renewed and released only by the token's owner (Lua), so a
 * holder that paused past the ttl cannot extend or delete its successor's lock.
 */
export class ClientLock {
  readonly ttlMs: number;
  private token?: string;
  private timer?: NodeJS.Timeout;
  /** When the lock was last known to be ours: after a failed renewal it counts as lost once ttlMs have passed since. */
  private confirmedAt = 0;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly options: ClientLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  get held(): boolean {
    return this.token !== undefined;
  }

  /** Takes the lock when it is free; true when this instance holds it (also when it already did). */
  async acquire(): Promise<boolean> {
    if (this.token) return true;
    const token = randomUUID();
    const taken = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    if (taken !== 'OK') return false;
    this.token = token;
    this.confirmedAt = Date.now();
    this.schedule();
    return true;
  }

  /** Gives the lock up (deleted only while it is still ours); the next replica can take it at once. */
  async release(): Promise<void> {
    const token = this.token;
    this.forget();
    if (token) await this.redis.eval(RELEASE, 1, this.key, token);
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.renew(), Math.max(10, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const token = this.token;
    if (!token) return;
    let kept: boolean;
    try {
      kept = (await this.redis.eval(RENEW, 1, this.key, token, this.ttlMs)) === 1;
      if (kept) this.confirmedAt = Date.now();
    } catch (error) {
      this.options.onError?.(error);
      // Redis cannot say: the lock may still be ours, until it would have expired.
      kept = Date.now() - this.confirmedAt < this.ttlMs;
    }
    // Released (or lost and re-acquired) while the renewal was under way: that path owns the timer.
    if (this.token !== token) return;
    if (kept) return this.schedule();
    this.forget();
    this.options.onLost?.();
  }

  private forget(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.token = undefined;
  }
}
