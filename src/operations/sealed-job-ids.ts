import { createCipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Bytes of the synthetic IV, which is also the seal's authenticator (80 bits). */
const TAG_BYTES = 10;

/**
 * Job ids as the queue dashboard shows them. Lotse's job ids hold unkeyed hashes of lanes
 * (`x-<sha1 of "whatsapp:<phone number>">-…`), which a guess over all phone numbers or chat ids
 * would turn back; the dashboard shows them sealed instead, and opens them again when the page asks
 * for that job (details, retry, clean). The seal is deterministic, so a job keeps one sealed id
 * across polls and gateways: a synthetic IV (an HMAC of the id, also checked on opening) and the
 * id encrypted with AES-256-CTR under it, short enough for a URL segment (Fastify allows 100
 * characters). The key is kept in Redis, shared by every gateway.
 */
export class JobIdSeal {
  private readonly encryptionKey: Buffer;
  private readonly macKey: Buffer;

  private constructor(key: Buffer) {
    this.encryptionKey = createHmac('sha256', key).update('encrypt').digest();
    this.macKey = createHmac('sha256', key).update('authenticate').digest();
  }

  /** The key is made once and kept in Redis (`<prefix>queue-dashboard:seal-key`). */
  static async create(redis: Redis, prefix: string): Promise<JobIdSeal> {
    const name = `${prefix}queue-dashboard:seal-key`;
    await redis.set(name, randomBytes(32).toString('base64'), 'NX');
    const stored = await redis.get(name);
    return new JobIdSeal(stored ? Buffer.from(stored, 'base64') : randomBytes(32));
  }

  seal(id: string): string {
    const tag = this.tag(Buffer.from(id, 'utf8'));
    return `j${Buffer.concat([tag, this.crypt(tag, Buffer.from(id, 'utf8'))]).toString('base64url')}`;
  }

  /** The id, or undefined for anything this seal did not make. */
  open(token: string): string | undefined {
    if (!/^j[\w-]{14,300}$/.test(token)) return undefined;
    const bytes = Buffer.from(token.slice(1), 'base64url');
    const tag = bytes.subarray(0, TAG_BYTES);
    const id = this.crypt(tag, bytes.subarray(TAG_BYTES));
    return id.length > 0 && timingSafeEqual(tag, this.tag(id)) ? id.toString('utf8') : undefined;
  }

  private tag(id: Buffer): Buffer {
    return createHmac('sha256', this.macKey).update(id).digest().subarray(0, TAG_BYTES);
  }

  /** AES-256-CTR under the tag (padded to a block): encrypting and decrypting are the same. */
  private crypt(tag: Buffer, data: Buffer): Buffer {
    const cipher = createCipheriv('aes-256-ctr', this.encryptionKey, Buffer.concat([tag, Buffer.alloc(16 - TAG_BYTES)]));
    return Buffer.concat([cipher.update(data), cipher.final()]);
  }
}
