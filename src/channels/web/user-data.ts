import type { Redis } from 'ioredis';
import type { ErasureParticipant } from '../../core/ports.js';
import { deleteKeys, globEscape, scanKeys } from '../../infra/redis.js';
import type { ChannelUserData } from '../registry.js';
import { webKeys, type WebReplyEvent } from './outbound.js';
import { SESSION_PATTERN } from './session-cookie.js';

/** A web chat user is their session: the id in the browser's `lotse_chat` cookie. */
export const webUserData: ChannelUserData = {
  userIdForm: 'the session id, 16 to 64 letters, digits or hyphens (the value of the lotse_chat cookie in the person\'s browser)',
  parseUserId: (text) => (SESSION_PATTERN.test(text.trim()) ? text.trim() : undefined),
  participants: ({ redis, keyPrefix }) => [webReplies(redis, keyPrefix)],
};

/** The session's outbox (its replies, which the page redraws after a reload) and its rate-limit counters. */
function webReplies(redis: Redis, keyPrefix: string): ErasureParticipant {
  const sessionOf = (key: string) => (key.startsWith('web:') ? key.slice('web:'.length) : undefined);
  return {
    name: 'web chat replies',
    holds: "Web chat: Lotse's replies to the session, so that the page can show them again after a reload; kept one day after the last reply.",
    async erase(key) {
      const session = sessionOf(key);
      if (!session) return;
      await redis.del(webKeys(keyPrefix, session).outbox);
      // The per-session request counters (a minute each) name the session too.
      await deleteKeys(redis, await scanKeys(redis, `${globEscape(`${keyPrefix}web:rate:session:`)}*${globEscape(session)}`, 1000));
    },
    async export(key) {
      const session = sessionOf(key);
      if (!session) return undefined;
      const entries = await redis.xrange(webKeys(keyPrefix, session).outbox, '-', '+');
      if (entries.length === 0) return undefined;
      return entries.map(([id, fields]) => {
        const reply = JSON.parse(fields[fields.indexOf('reply') + 1] ?? '{}') as Partial<WebReplyEvent>;
        return { sentAt: new Date(Number(id.split('-')[0])).toISOString(), text: reply.text, language: reply.language, buttons: reply.buttons, sources: reply.sources };
      });
    },
  };
}
