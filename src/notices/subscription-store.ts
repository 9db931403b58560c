import { isLanguage } from '../core/knowledge.js';
import type { NoticeProfile, NoticeSubscription, NoticeSubscriptions } from '../core/notices.js';
import type { ErasureParticipant } from '../core/ports.js';
import type { RedisConnection } from '../infra/redis.js';
import { NoticeKeys } from './notice-keys.js';
import { NoticeStore } from './notice-store.js';

/** A subscription ends by itself this long after the user last opted in. */
export const SUBSCRIPTION_DAYS = 365;
const SUBSCRIPTION_MS = SUBSCRIPTION_DAYS * 86_400_000;

/** The channels that can reach a user later: Telegram and WhatsApp (both of its transports). Not the web chat. */
export const NOTICE_CHANNELS: readonly string[] = ['telegram', 'whatsapp'];

/** Subscribers read per step when a notice goes out. */
const PAGE = 200;

/** KEYS subscription; ARGV language, country, audience ('' for unknown). Changes an existing subscription only. */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'language', ARGV[1])
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'country') else redis.call('HSET', KEYS[1], 'country', ARGV[2]) end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'audience') else redis.call('HSET', KEYS[1], 'audience', ARGV[3]) end
return 1`;

/** The channel of a conversation key ("telegram:123" -> "telegram"). */
const channelOf = (conversationKey: string) => conversationKey.slice(0, Math.max(0, conversationKey.indexOf(':')));

/**
 * Who asked for event notices, in Redis: one hash per subscriber (`<prefix>notices:sub:<key>`,
 * expiring a year after the latest opt-in) and, per channel, the subscribers scored by when their
 * subscription ends (`<prefix>notices:subscribers:<channel>`), which a sending walks. The store is
 * an erasure participant: "delete" removes the subscription and the record of which notices the
 * user was sent; an access request shows both.
 */
export class RedisNoticeSubscriptions implements NoticeSubscriptions, ErasureParticipant {
  readonly name = 'event notice subscriptions';
  readonly holds =
    'If the user asked for event notices: their channel and address, language, country and whether they plan to go or have come back, and when they opted in, until they stop the notices or for a year at most; and which notices were sent to them, kept 90 days after each event.';
  private readonly keys: NoticeKeys;
  private readonly notices: NoticeStore;

  constructor(
    private readonly redis: RedisConnection,
    keyPrefix = 'lotse:',
    private readonly channels: readonly string[] = NOTICE_CHANNELS,
  ) {
    this.keys = new NoticeKeys(keyPrefix);
    this.notices = new NoticeStore(redis, keyPrefix);
  }

  supports(channel: string): boolean {
    return this.channels.includes(channel);
  }

  async get(conversationKey: string): Promise<NoticeSubscription | undefined> {
    return parseSubscription(conversationKey, await this.redis.hgetall(this.keys.subscription(conversationKey)));
  }

  async subscribe(input: { conversationKey: string; channel: string; userId: string } & NoticeProfile, now: Date): Promise<NoticeSubscription> {
    const key = this.keys.subscription(input.conversationKey);
    const existing = await this.get(input.conversationKey);
    const expires = now.getTime() + SUBSCRIPTION_MS;
    const subscription: NoticeSubscription = {
      conversationKey: input.conversationKey,
      channel: input.channel,
      userId: input.userId,
      language: input.language,
      country: input.country,
      audience: input.audience,
      optedInAt: existing?.optedInAt ?? now.toISOString(),
      confirmedAt: now.toISOString(),
      expiresAt: new Date(expires).toISOString(),
    };
    const fields = Object.entries(subscription).filter(([name, value]) => name !== 'conversationKey' && value !== undefined);
    // The hash first, then the index: a sending skips index entries without a hash.
    await this.redis.multi().del(key).hset(key, Object.fromEntries(fields)).pexpireat(key, expires).exec();
    const index = this.keys.subscribers(input.channel);
    await this.redis.zadd(index, expires, input.conversationKey);
    await this.redis.zremrangebyscore(index, '-inf', now.getTime());
    return subscription;
  }

  async unsubscribe(conversationKey: string): Promise<boolean> {
    // The hash first: a sending checks it just before each message, so nothing goes out after this.
    const removed = await this.redis.del(this.keys.subscription(conversationKey));
    const channel = channelOf(conversationKey);
    if (channel) await this.redis.zrem(this.keys.subscribers(channel), conversationKey);
    return removed > 0;
  }

  async update(conversationKey: string, profile: NoticeProfile): Promise<void> {
    await this.redis.eval(UPDATE, 1, this.keys.subscription(conversationKey), profile.language, profile.country ?? '', profile.audience ?? '');
  }

  /** Whether the user is still subscribed (checked right before each message of a sending). */
  async exists(conversationKey: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.subscription(conversationKey))) === 1;
  }

  /**
   * A channel's subscribers, a page at a time, in the order their subscriptions end. Ended ones are
   * dropped from the index first. A subscriber whose year starts over meanwhile moves further on and
   * may come again (each sending marks whom it reached, so nobody gets a notice twice); none is skipped.
   */
  async *pages(channel: string, now = Date.now()): AsyncGenerator<string[]> {
    const index = this.keys.subscribers(channel);
    await this.redis.zremrangebyscore(index, '-inf', now);
    let last = '-inf';
    let seenAtLast = new Set<string>();
    for (;;) {
      const rows = await this.redis.zrangebyscore(index, last, '+inf', 'WITHSCORES', 'LIMIT', 0, PAGE + seenAtLast.size);
      const page: string[] = [];
      let lastScore = last;
      let atLast = seenAtLast;
      for (let i = 0; i + 1 < rows.length; i += 2) {
        const member = rows[i]!;
        const score = rows[i + 1]!;
        if (score === last && seenAtLast.has(member)) continue;
        page.push(member);
        if (score !== lastScore) {
          lastScore = score;
          atLast = new Set();
        }
        atLast.add(member);
      }
      if (page.length === 0) return;
      // Members with the last score may continue on the next page: those seen are left out there.
      if (lastScore === last) for (const member of seenAtLast) atLast.add(member);
      last = lastScore;
      seenAtLast = atLast;
      yield page;
      if (rows.length / 2 < PAGE) return;
    }
  }

  /** Erasure: the subscription, and the record of the notices sent to the user. */
  async erase(conversationKey: string): Promise<void> {
    await this.unsubscribe(conversationKey);
    await this.notices.forgetRecipient(conversationKey);
  }

  /** For a request of access: the subscription, and which notices went to the user. */
  async export(conversationKey: string): Promise<unknown> {
    const subscription = await this.get(conversationKey);
    const received = await this.notices.receivedBy(conversationKey);
    if (!subscription && received.length === 0) return undefined;
    return { subscription: subscription ?? null, received };
  }
}

/** A subscription from its hash; undefined for none (or one too damaged to use). */
export function parseSubscription(conversationKey: string, hash: Record<string, string>): NoticeSubscription | undefined {
  if (!hash.channel || !hash.userId || !isLanguage(hash.language) || !hash.optedInAt) return undefined;
  const audience = hash.audience === 'prospective' || hash.audience === 'returnee' ? hash.audience : undefined;
  return {
    conversationKey,
    channel: hash.channel,
    userId: hash.userId,
    language: hash.language,
    country: hash.country || undefined,
    audience,
    optedInAt: hash.optedInAt,
    confirmedAt: hash.confirmedAt ?? hash.optedInAt,
    expiresAt: hash.expiresAt ?? '',
  };
}

/** The subscription store, as the composition root adds it to the pipeline and to the erasure participants. */
export function noticeSubscriptions(redis: RedisConnection, keyPrefix = 'lotse:'): RedisNoticeSubscriptions {
  return new RedisNoticeSubscriptions(redis, keyPrefix);
}
