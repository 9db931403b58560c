import type { ChannelUserData } from '../registry.js';

/**
 * A Telegram user is their chat id. Telegram keeps nothing of a user outside the conversation
 * record and the queues: files stay with Telegram and are fetched when needed.
 */
export const telegramUserData: ChannelUserData = {
  userIdForm: 'the chat id, a whole number such as 123456789',
  parseUserId: (text) => (/^-?\d{1,20}$/.test(text.trim()) ? text.trim() : undefined),
  participants: () => [],
};
