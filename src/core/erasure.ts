import type { CaseStore, ConversationStore, DedupeStore, ErasureParticipant } from './ports.js';

/** Where a user's data lives: the core stores, and every participant that holds more. */
export interface UserDataStores {
  conversations: Pick<ConversationStore, 'delete'>;
  cases: Pick<CaseStore, 'deleteForConversation'>;
  dedupe: Pick<DedupeStore, 'forget'>;
  erasure: readonly ErasureParticipant[];
}

/**
 * Erases a conversation's data everywhere: the "delete" command and the operator's
 * `npm run export -- <channel> <user> --delete` both run this. The participants go first, while
 * the core stores still hold what some of them look up (the conversation's cases).
 */
export async function eraseEverywhere(stores: UserDataStores, conversationKey: string): Promise<void> {
  for (const participant of stores.erasure) await participant.erase(conversationKey);
  await stores.dedupe.forget(conversationKey);
  await stores.cases.deleteForConversation(conversationKey);
  await stores.conversations.delete(conversationKey);
}
