import { globEscape, scanKeys, type RedisConnection } from '../infra/redis.js';

export interface DeadLetter {
  at: string;
  /** A keyed hash of the conversation, never its id. */
  conversation: string;
  error: string;
  /** Redacted text, where there was any. */
  text?: string;
}

/** How long a dead letter is kept. */
export const DEAD_LETTER_TTL_SECONDS = 7 * 86_400;
/** Letters past their week removed by one add, at most (the rest go with the next ones). */
const PRUNE_PER_ADD = 100;

/**
 * Items given up on, kept a week for inspection: redacted, capped at the newest 1,000 per kind.
 * Each letter goes after its week, also while newer ones keep coming (the list's own expiry only
 * ends a quiet list); a conversation's letters go with its erasure.
 */
export class DeadLetters {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'lotse:',
  ) {}

  key(kind: string): string {
    return `${this.prefix}dead:${kind}`;
  }

  async add(kind: string, letter: DeadLetter): Promise<void> {
    const key = this.key(kind);
    await this.redis.multi().lpush(key, JSON.stringify(letter)).ltrim(key, 0, 999).expire(key, DEAD_LETTER_TTL_SECONDS).exec();
    await this.pruneOld(key);
  }

  async list(kind: string): Promise<DeadLetter[]> {
    return (await this.redis.lrange(this.key(kind), 0, -1)).map((raw) => JSON.parse(raw) as DeadLetter);
  }

  /** The letters of one conversation (by its keyed hash), of every kind, newest first (export). */
  async ofConversation(hash: string): Promise<(DeadLetter & { kind: string })[]> {
    const found: (DeadLetter & { kind: string })[] = [];
    for (const { kind, raw } of await this.rawOf(hash)) found.push({ kind, ...(JSON.parse(raw) as DeadLetter) });
    return found;
  }

  /** Erasure: removes the letters of one conversation (by its keyed hash). */
  async eraseConversation(hash: string): Promise<void> {
    for (const { kind, raw } of await this.rawOf(hash)) await this.redis.lrem(this.key(kind), 0, raw);
  }

  private async rawOf(hash: string): Promise<{ kind: string; raw: string }[]> {
    const found: { kind: string; raw: string }[] = [];
    const base = this.key('');
    for (const key of await scanKeys(this.redis, `${globEscape(base)}*`)) {
      for (const raw of await this.redis.lrange(key, 0, -1)) {
        if (letterOf(raw)?.conversation === hash) found.push({ kind: key.slice(base.length), raw });
      }
    }
    return found;
  }

  /** Removes letters past their week from the old end of the list. */
  private async pruneOld(key: string): Promise<void> {
    for (let i = 0; i < PRUNE_PER_ADD; i++) {
      const oldest = await this.redis.lindex(key, -1);
      const at = oldest === null ? undefined : Date.parse(letterOf(oldest)?.at ?? '');
      if (oldest === null || (at !== undefined && Date.now() - at < DEAD_LETTER_TTL_SECONDS * 1000)) return;
      // LREM of that very entry from the end: two processes pruning at once never remove a newer one.
      await this.redis.lrem(key, -1, oldest);
    }
  }
}

function letterOf(raw: string): DeadLetter | undefined {
  try {
    return JSON.parse(raw) as DeadLetter;
  } catch {
    return undefined;
  }
}
