import type { Redis } from 'ioredis';
import { hashTag } from '../../../infra/redis.js';

/** Sign-in attempts allowed per window: per account (guessing one password) and per address (trying many accounts). */
export interface SignInLimitSettings {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

/**
 * Ten tries a quarter hour for an account is plenty for a person mistyping and far too few to
 * guess a 12-character password; a centre's advisors share one address, hence more per address.
 */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };

/**
 * Counts both in one step and starts the window on the first attempt. Every attempt counts before
 * the password is checked, so that many attempts sent at once cannot all pass the check before
 * the first failure is recorded.
 */
const COUNT = `
local result = {}
for i = 1, 2 do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  result[i * 2 - 1] = n
  result[i * 2] = redis.call('PTTL', KEYS[i])
end
return result`;

export type SignInAllowance = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Sign-in attempts counted in Redis, so that the limits hold across gateway processes. */
export class SignInLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lotse:',
    readonly settings: SignInLimitSettings = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  private keys(account: string, address: string): [string, string] {
    // Counted by one script: on a Redis Cluster both share one hash tag.
    const base = `${this.prefix}${hashTag(this.redis, 'console')}:sign-in`;
    return [`${base}:account:${account}`, `${base}:address:${address}`];
  }

  /** Counts an attempt; refused when either count is over its limit. */
  async attempt(account: string, address: string): Promise<SignInAllowance> {
    const [accountCount, accountTtl, addressCount, addressTtl] = (await this.redis.eval(COUNT, 2, ...this.keys(account, address), String(this.settings.windowMs))) as number[];
    const over: number[] = [];
    if (accountCount! > this.settings.perAccount) over.push(accountTtl!);
    if (addressCount! > this.settings.perAddress) over.push(addressTtl!);
    if (over.length === 0) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...over) / 1000)) };
  }

  /** A successful sign-in clears the account's count (not the address's: other accounts may be tried from it). */
  async succeeded(account: string): Promise<void> {
    await this.redis.del(this.keys(account, '')[0]);
  }
}
