import type { Redis } from 'ioredis';
import type { ErasureParticipant } from '../../core/ports.js';
import type { ChannelUserData } from '../registry.js';

const PHONE = /^\d{5,20}$/;
const LINKED_ID = /^lid:\d{5,32}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A WhatsApp user is their phone number's digits (both transports), or `lid:<digits>` where WhatsApp
 * Web hides the number. Both transports' data is covered whichever one is configured now: a centre
 * that moved from one to the other still has the first one's keys until they expire.
 */
export const whatsappUserData: ChannelUserData = {
  userIdForm: 'the phone number with its country code, e.g. 4917612345678 (a leading + and spaces are dropped), or lid:<digits>',
  parseUserId(text) {
    const trimmed = text.trim();
    if (LINKED_ID.test(trimmed)) return trimmed;
    const digits = trimmed.replace(/^\+/, '').replace(/[\s().-]/g, '');
    return PHONE.test(digits) ? digits : undefined;
  },
  participants: ({ redis, keyPrefix }) => [
    whatsappParticipant(
      'whatsapp window and held replies',
      'WhatsApp (Cloud API): when the user last wrote (for the 24-hour window), kept 8 days; replies held while the window was closed, kept 7 days or until the user writes again.',
      () => cloudWindow(redis, keyPrefix),
    ),
    whatsappParticipant(
      'whatsapp web choices and files',
      'WhatsApp (linked number): the choices last offered and the photos, voice notes and documents sent, kept one day after they arrive; replies waiting for the linked phone, kept two minutes at most.',
      async () => (await import('./web/user-data.js')).whatsappWebUserData(redis, keyPrefix),
    ),
  ],
};

/**
 * A participant for WhatsApp users only, whose transport module is loaded at the first WhatsApp
 * user's erasure or export: a process without WhatsApp never loads the transports.
 */
function whatsappParticipant(name: string, holds: string, load: () => Promise<Pick<ErasureParticipant, 'erase' | 'export'>>): ErasureParticipant {
  let loaded: Promise<Pick<ErasureParticipant, 'erase' | 'export'>> | undefined;
  const part = () => (loaded ??= load());
  const isWhatsApp = (key: string) => key.startsWith('whatsapp:');
  return {
    name,
    holds,
    erase: async (key) => void (isWhatsApp(key) && (await (await part()).erase(key))),
    export: async (key) => (isWhatsApp(key) ? (await part()).export?.(key) : undefined),
  };
}

/** The Cloud API's 24-hour window of a user, and the replies held while it was closed (they carry reply text). */
async function cloudWindow(redis: Redis, keyPrefix: string): Promise<Pick<ErasureParticipant, 'erase' | 'export'>> {
  const { ConversationWindow } = await import('./cloud/window.js');
  // Only the keys matter here: the window's length and warning are the sender's business.
  const window = new ConversationWindow(redis, keyPrefix, { windowMs: DAY_MS, warnBeforeMs: 0 });
  const userOf = (key: string) => key.slice('whatsapp:'.length);
  return {
    erase: (key) => window.erase(userOf(key)),
    export: (key) => window.export(userOf(key)),
  };
}
