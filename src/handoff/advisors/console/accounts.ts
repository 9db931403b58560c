import type { Redis } from 'ioredis';
import { hashTag } from '../../../infra/redis.js';
import { z } from 'zod';

/** advisor: cases of their pools; staff (programme staff): statistics and event notices; admin: all of it, and the queue dashboard. */
export const ADVISOR_ROLES = ['advisor', 'staff', 'admin'] as const;
export type AdvisorRole = (typeof ADVISOR_ROLES)[number];

/** An advisor who signs in to the console. Never carries the password hash out of this module's `find`. */
export interface AdvisorAccount {
  /** The sign-in name and the advisor's stable id in cases (AdvisorRef.id). */
  name: string;
  /** Shown to other advisors (and, by name, to the user when the case is claimed). */
  displayName: string;
  /** The pools whose queues the advisor sees and acts on; no other. */
  pools: string[];
  role: AdvisorRole;
  /** For users who ask for a woman advisor (the pools file's `women` lists these names). */
  woman: boolean;
  createdAt: string;
}

/** The account with its password hash: for signing in only. */
export interface StoredAccount extends AdvisorAccount {
  passwordHash: string;
}

export const accountNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'a name of 1-40 lower-case letters, digits, dots, hyphens or underscores');
/** The same rule as a pool id in the pools file. */
export const poolIdSchema = z.string().regex(/^[a-z0-9-]{1,40}$/, 'pool ids are lower-case letters, digits and hyphens');

export const newAccountSchema = z.object({
  name: accountNameSchema,
  displayName: z
    .string()
    .trim()
    .min(1, 'the display name is empty')
    .max(80, 'the display name has more than 80 characters')
    // eslint-disable-next-line no-control-regex
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'the display name has control characters'),
  pools: z.array(poolIdSchema).max(50),
  role: z.enum(ADVISOR_ROLES).default('advisor'),
  woman: z.boolean().default(false),
}).refine((account) => account.role === 'staff' || account.pools.length > 0, { path: ['pools'], message: 'give at least one pool' });
export type NewAccount = z.input<typeof newAccountSchema>;

/** The account exists already (add without replace). */
export class AccountExistsError extends Error {
  constructor(readonly account: string) {
    super(`an advisor named "${account}" exists already`);
    this.name = 'AccountExistsError';
  }
}

/**
 * Advisor accounts in Redis: one hash per account (`<prefix>console:account:<name>`) and the set
 * of names (`<prefix>console:accounts`). No expiry: accounts live until removed.
 */
export class AdvisorAccounts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lotse:',
  ) {}

  private key(name: string): string {
    // Used together with the index (MULTI): on a Redis Cluster they share one hash tag.
    return `${this.prefix}${hashTag(this.redis, 'console')}:account:${name}`;
  }

  private get index(): string {
    return `${this.prefix}${hashTag(this.redis, 'console')}:accounts`;
  }

  /** Creates the account, or with `replace` overwrites it (new password, pools, flags; same creation time). */
  async add(input: NewAccount, passwordHash: string, options: { replace?: boolean; now?: Date } = {}): Promise<AdvisorAccount> {
    const account = newAccountSchema.parse(input);
    const key = this.key(account.name);
    const createdAt = (options.now ?? new Date()).toISOString();
    // HSETNX is the existence check and the claim in one step: two adds of one name cannot both create it.
    const created = (await this.redis.hsetnx(key, 'createdAt', createdAt)) === 1;
    // A hash without a password is an add that stopped half-way: taken over, not "exists".
    if (!created && !options.replace && (await this.redis.hexists(key, 'passwordHash'))) throw new AccountExistsError(account.name);
    await this.redis
      .multi()
      .hset(key, { displayName: account.displayName, pools: account.pools.join(','), role: account.role, woman: account.woman ? '1' : '0', passwordHash })
      .sadd(this.index, account.name)
      .exec();
    return (await this.get(account.name))!;
  }

  /** Removes the account; false when there was none. (Its sessions are ended by the caller: ConsoleSessions.endAll.) */
  async remove(name: string): Promise<boolean> {
    const [[, deleted]] = (await this.redis.multi().del(this.key(name)).srem(this.index, name).exec()) as [[unknown, number]];
    return deleted === 1;
  }

  /** The account without its hash. */
  async get(name: string): Promise<AdvisorAccount | undefined> {
    const stored = await this.find(name);
    if (!stored) return undefined;
    const { passwordHash: _hash, ...account } = stored;
    return account;
  }

  /** The account with its hash, for checking a password; undefined for a malformed or unknown name. */
  async find(name: string): Promise<StoredAccount | undefined> {
    if (!accountNameSchema.safeParse(name).success) return undefined;
    const fields = await this.redis.hgetall(this.key(name));
    if (!fields.passwordHash || fields.pools === undefined) return undefined;
    return {
      name,
      displayName: fields.displayName ?? name,
      pools: fields.pools.split(',').filter(Boolean),
      role: fields.role === 'admin' || fields.role === 'staff' ? fields.role : 'advisor',
      woman: fields.woman === '1',
      createdAt: fields.createdAt ?? '',
      passwordHash: fields.passwordHash,
    };
  }

  /** Every account, by name, without hashes. */
  async list(): Promise<AdvisorAccount[]> {
    const names = (await this.redis.smembers(this.index)).sort();
    const accounts = await Promise.all(names.map((name) => this.get(name)));
    return accounts.filter((account): account is AdvisorAccount => account !== undefined);
  }
}
