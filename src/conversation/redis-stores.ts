import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Conversation } from '../core/conversation.js';
import type { ConversationStore, DedupeStore } from '../core/ports.js';
import { deleteKeys, globEscape, scanKeys, type RedisConnection } from '../infra/redis.js';

export interface RedisStoreOptions {
  /** Key prefix (default "lotse:"); tests use a random one. */
  prefix?: string;
  /** Days a conversation and its cases are kept after the last write (default 90). */
  retentionDays?: number;
  /**
   * Conversations whose JSON is larger than this many bytes are saved deflated (about half the
   * memory, some 20 µs a save). Off by default in this version: every process must be able to read
   * them before any writes them, so that a rolling upgrade (or a rollback) never has an older process
   * meet one. This version reads them; the next can turn it on (DEFLATE_ABOVE_BYTES).
   */
  deflateAboveBytes?: number;
}

/** A store of Lotse's own keys: a prefix, and the retention period as a TTL in seconds. */
abstract class PrefixedStore {
  protected readonly prefix: string;
  protected readonly ttl: number;

  constructor(
    protected readonly redis: RedisConnection,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'lotse:';
    this.ttl = (options.retentionDays ?? 90) * 86_400;
  }
}

/** A question held while the privacy notice waits for an answer lives a day at most. */
export const HELD_QUESTION_TTL_SECONDS = 86_400;

/** The size above which conversations are worth deflating, once deflating is on (see RedisStoreOptions). */
export const DEFLATE_ABOVE_BYTES = 1024;
/** What a deflated conversation starts with (JSON always starts with "{"). */
const DEFLATED = Buffer.from('z:');

/**
 * Conversations under `<prefix>conv:<key>`, expiring after the retention period; one that holds a
 * question sent before consent expires after a day unless the user agrees. Plain JSON, or, above
 * `deflateAboveBytes` when that is set, "z:" and raw DEFLATE; either is read.
 */
export class RedisConversationStore extends PrefixedStore implements ConversationStore {
  private readonly deflateAbove: number;

  constructor(redis: RedisConnection, options: RedisStoreOptions = {}) {
    super(redis, options);
    this.deflateAbove = options.deflateAboveBytes ?? Number.POSITIVE_INFINITY;
  }

  private key(key: string) {
    return `${this.prefix}conv:${key}`;
  }

  async get(key: string): Promise<Conversation | undefined> {
    const raw = await this.redis.getBuffer(this.key(key));
    if (!raw) return undefined;
    const json = raw.subarray(0, DEFLATED.length).equals(DEFLATED) ? inflateRawSync(raw.subarray(DEFLATED.length)) : raw;
    return JSON.parse(json.toString('utf8')) as Conversation;
  }

  async save(conversation: Conversation): Promise<void> {
    const ttl = conversation.consent.status === 'pending' && conversation.heldQuestion ? Math.min(this.ttl, HELD_QUESTION_TTL_SECONDS) : this.ttl;
    const json = Buffer.from(JSON.stringify(conversation), 'utf8');
    const value = json.length > this.deflateAbove ? Buffer.concat([DEFLATED, deflateRawSync(json, { level: 3 })]) : json;
    await this.redis.set(this.key(conversation.key), value, 'EX', ttl);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}

/**
 * Handled message ids under `<prefix>seen:<id>`: "processing" while a worker handles it, then
 * "done" for a day. A redelivered platform message never reaches a worker again (its lane's `seen`
 * set keeps its id for a week); "done" covers a message handled to the end whose lane could not
 * take it out yet (a worker or Redis gone at that moment), so that the next holder of the lane
 * skips it instead of handling it twice.
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisStoreOptions & { ttlSeconds?: number; claimSeconds?: number } = {},
  ) {
    this.prefix = options.prefix ?? 'lotse:';
    this.ttlSeconds = options.ttlSeconds ?? 86_400;
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

  /** Erasure: the markers of a conversation's messages, found by SCAN (on every master of a cluster: they lie in many slots). */
  async forget(conversationKey: string): Promise<void> {
    await deleteKeys(this.redis, await scanKeys(this.redis, `${globEscape(`${this.prefix}seen:${conversationKey}:`)}*`));
  }
}
