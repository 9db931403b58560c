import type { Redis } from 'ioredis';
import type { ErasureParticipant } from '../../../core/ports.js';
import { deleteKeys, globEscape, scanKeys } from '../../../infra/redis.js';
import { chatOfUser } from './inbound.js';
import { waWebKeys } from './keys.js';
import type { SendRequest } from './outbound.js';

/**
 * What the WhatsApp Web transport keeps of a user outside the conversation, erased with it and shown
 * by an export: the choices last offered, the files downloaded at arrival and the duplicate markers
 * (all of which expire within a day anyway), and sends relayed to the replica that holds the client
 * (which expire within minutes). The participant's name and description are in ../user-data.ts,
 * which loads this module only when a WhatsApp user's data is asked for.
 */
export function whatsappWebUserData(redis: Redis, keyPrefix: string): Pick<ErasureParticipant, 'erase' | 'export'> {
  const keys = waWebKeys(keyPrefix);
  /** The user id and chat, for a WhatsApp conversation key of a WhatsApp Web user. */
  const userOf = (conversationKey: string) => {
    if (!conversationKey.startsWith('whatsapp:')) return undefined;
    const userId = conversationKey.slice('whatsapp:'.length);
    const chat = chatOfUser(userId);
    return chat ? { userId, chat } : undefined;
  };
  /** The user's relayed sends still waiting, as they are in the list. */
  const relayedSends = async (chat: string) => (await redis.lrange(keys.outbox, 0, -1)).filter((raw) => requestOf(raw)?.chatId === chat);
  return {
    async erase(conversationKey: string): Promise<void> {
      const user = userOf(conversationKey);
      if (!user) return;
      const found: string[] = [keys.options(user.userId)];
      // SCAN on every master of a Redis Cluster; the keys lie in many slots, so one DEL each there.
      for (const pattern of [`${globEscape(keys.media(user.userId))}:*`, `${globEscape(keys.seen(user.userId))}:*`]) found.push(...(await scanKeys(redis, pattern, 1000)));
      await deleteKeys(redis, found);
      for (const raw of await relayedSends(user.chat)) await redis.lrem(keys.outbox, 0, raw);
    },
    async export(conversationKey: string) {
      const user = userOf(conversationKey);
      if (!user) return undefined;
      const options = await redis.get(keys.options(user.userId));
      const files = [];
      const prefix = `${keys.media(user.userId)}:`;
      for (const key of (await scanKeys(redis, `${globEscape(prefix)}*`, 1000)).sort()) {
        const stored = await redis.hgetallBuffer(key);
        if (!stored.data) continue;
        files.push({ message: key.slice(prefix.length), fileName: stored.fileName?.toString('utf8'), mimeType: stored.mimeType?.toString('utf8'), bytes: stored.data.length, dataBase64: stored.data.toString('base64') });
      }
      const sends = (await relayedSends(user.chat)).map((raw) => ({ text: requestOf(raw)?.text }));
      if (options === null && files.length === 0 && sends.length === 0) return undefined;
      return { choicesOffered: options === null ? [] : (JSON.parse(options) as unknown), files, repliesWaitingForThePhone: sends };
    },
  };
}

function requestOf(raw: string): SendRequest | undefined {
  try {
    return JSON.parse(raw) as SendRequest;
  } catch {
    return undefined;
  }
}
