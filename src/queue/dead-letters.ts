import type { RedisConnection } from '../infra/redis.js';

export interface DeadLetter {
  at: string;
  /** A keyed hash of the conversation, never its id. */
  conversation: string;
  error: string;
  /** Redacted text, where there was any. */
  text?: string;
}

/** Items given up on, kept a week for inspection: redacted, capped at the newest 1,000 per kind. */
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
    await this.redis.multi().lpush(key, JSON.stringify(letter)).ltrim(key, 0, 999).expire(key, 7 * 86_400).exec();
  }

  async list(kind: string): Promise<DeadLetter[]> {
    return (await this.redis.lrange(this.key(kind), 0, -1)).map((raw) => JSON.parse(raw) as DeadLetter);
  }
}
