import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';

/** Session names are RemoteAuth's (`RemoteAuth-lotse`); anything else is refused rather than put into a key or a path. */
const SESSION_NAME = /^[\w-]{1,100}$/;

function checked(session: string): string {
  if (!SESSION_NAME.test(session)) throw new Error('not a RemoteAuth session name');
  return session;
}

/**
 * whatsapp-web.js's RemoteAuth store on Redis, so that the linked number survives a new container
 * and any replica can take the client over. RemoteAuth zips the Chromium profile to
 * `<dataPath>/<session>.zip` and then calls `save({session})`, which reads that file; before
 * starting Chromium it calls `extract({session, path})`, which writes the zip to `path`. The zip
 * is one Redis value, replaced at once, so a reader never sees half of a backup.
 */
export class RedisSessionStore {
  private readonly dataPath: string;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** RemoteAuth's `dataPath` (it resolves it the same way). */
    dataPath: string,
  ) {
    this.dataPath = path.resolve(dataPath);
  }

  private key(session: string): string {
    return `${this.keyPrefix}wa:web:session:${checked(session)}`;
  }

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    return (await this.redis.exists(this.key(session))) === 1;
  }

  async save({ session }: { session: string }): Promise<void> {
    const zip = await readFile(path.join(this.dataPath, `${checked(session)}.zip`));
    await this.redis.set(this.key(session), zip);
  }

  async extract({ session, path: target }: { session: string; path: string }): Promise<void> {
    const zip = await this.redis.getBuffer(this.key(session));
    if (!zip) throw new Error('the WhatsApp Web session is no longer in Redis; link the number again');
    await writeFile(target, zip);
  }

  async delete({ session }: { session: string }): Promise<void> {
    await this.redis.del(this.key(session));
  }
}
