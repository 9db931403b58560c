import type { Redis } from 'ioredis';
import type { ErasureParticipant } from '../../../core/ports.js';
import { deleteKeys, scanKeys } from '../../../infra/redis.js';
import { chatOfUser } from './inbound.js';
import { waWebKeys } from './keys.js';

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * What the WhatsApp Web transport keeps of a user outside the conversation, erased with it: the
 * choices last offered, the files downloaded at arrival and the duplicate markers (all of which
 * would expire within a day anyway). A relayed send still waiting expires within minutes.
 */
export function whatsappWebErasure(redis: Redis, keyPrefix: string): ErasureParticipant {
  const keys = waWebKeys(keyPrefix);
  return {
    name: 'whatsapp web choices and files',
    async erase(conversationKey: string): Promise<void> {
      if (!conversationKey.startsWith('whatsapp:')) return;
      const userId = conversationKey.slice('whatsapp:'.length);
      if (!chatOfUser(userId)) return;
      const found: string[] = [keys.options(userId)];
      // SCAN on every master of a Redis Cluster; the keys lie in many slots, so one DEL each there.
      for (const pattern of [`${escapeGlob(keys.media(userId))}:*`, `${escapeGlob(keys.seen(userId))}:*`]) found.push(...(await scanKeys(redis, pattern, 1000)));
      await deleteKeys(redis, found);
    },
  };
}
