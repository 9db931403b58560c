import type { Redis } from 'ioredis';
import type { Conversation } from '../core/conversation.js';
import type { ConversationStore, DedupeStore } from '../core/ports.js';

/** Escapes glob characters, so that a user id can never widen a SCAN pattern. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

export interface RedisStoreOptions {
  /** Key prefix (default "lotse:"); tests use a random one. */
  prefix?: string;
  /** Days a conversation and its cases are kept after the last write (default 90). */
  retentionDays?: number;
}

/** A store of Lotse's own keys: a prefix, and the retention period as a TTL in seconds. */
abstract class PrefixedStore {
  protected readonly prefix: string;
  protected readonly ttl: number;

  constructor(
    protected readonly redis: Redis,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'lotse:';
    this.ttl = (options.retentionDays ?? 90) * 86_400;
  }
}

/** A question held while the privacy notice waits for an answer lives a day at most. */
export const HELD_QUESTION_TTL_SECONDS = 86_400;

/**
 * Conversations as JSON under `<prefix>conv:<key>`, expiring after the retention period; one that
 * holds a question sent before consent expires after a day unless the user agrees.
 */
export class RedisConversationStore extends PrefixedStore implements ConversationStore {
  private key(key: string) {
    return `${this.prefix}conv:${key}`;
  }

  async get(key: string): Promise<Conversation | undefined> {
    const raw = await this.redis.get(this.key(key));
    return raw ? (JSON.parse(raw) as Conversation) : undefined;
  }

  async save(conversation: Conversation): Promise<void> {
    const ttl = conversation.consent.status === 'pending' && conversation.heldQuestion ? Math.min(this.ttl, HELD_QUESTION_TTL_SECONDS) : this.ttl;
    await this.redis.set(this.key(conversation.key), JSON.stringify(conversation), 'EX', ttl);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}

/**
 * Handled message ids under `<prefix>seen:<id>`: "processing" while a worker handles it, then
 * "done" for a week (redeliveries come within hours).
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisStoreOptions & { ttlSeconds?: number; claimSeconds?: number } = {},
  ) {
    this.prefix = options.prefix ?? 'lotse:';
    this.ttlSeconds = options.ttlSeconds ?? 7 * 86_400;
    this.claimSeconds = options.claimSeconds ?? 300;
  }

  private readonly ttlSeconds: number;
  private readonly claimSeconds: number;

  async claim(messageId: string): Promise<boolean> {
    // Not NX: a "processing" claim is one a dead handler left (the lanes run one handler per conversation).
    const claimed = await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == 'done' then return 0 end redis.call('SET', KEYS[1], 'processing', 'EX', ARGV[1]) return 1",
      1,
      `${this.prefix}seen:${messageId}`,
      this.claimSeconds,
    );
    return claimed === 1;
  }

  async complete(messageId: string): Promise<void> {
    await this.redis.set(`${this.prefix}seen:${messageId}`, 'done', 'EX', this.ttlSeconds);
  }

  async release(messageId: string): Promise<void> {
    // Only a claim is given back; a message already done stays done.
    await this.redis.eval("if redis.call('GET', KEYS[1]) == 'processing' then return redis.call('DEL', KEYS[1]) end return 0", 1, `${this.prefix}seen:${messageId}`);
  }

  async forget(conversationKey: string): Promise<void> {
    await deleteMatching(this.redis, `${globEscape(`${this.prefix}seen:${conversationKey}:`)}*`);
  }
}
