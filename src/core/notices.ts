import type { Language } from './knowledge.js';
import type { Profile } from './conversation.js';

/** What a subscription holds of the user's profile, kept in step with their conversation. */
export interface NoticeProfile {
  language: Language;
  /** ISO 3166-1 alpha-2; unknown: the user gets notices for all countries only. */
  country?: string;
  /** Unknown: the user gets notices for both audiences only. */
  audience?: Profile['audience'];
}

/** A user who asked for event notices (job fairs, trainings, information days) on a channel that can reach them later. */
export interface NoticeSubscription extends NoticeProfile {
  conversationKey: string;
  channel: string;
  userId: string;
  /** ISO time the user first opted in (this subscription). */
  optedInAt: string;
  /** ISO time of the latest opt-in: the subscription ends a year after it. */
  confirmedAt: string;
  /** ISO time the subscription ends by itself. */
  expiresAt: string;
}

/** Port: the users who asked for event notices; Redis in production, memory in unit tests. */
export interface NoticeSubscriptions {
  /** Whether notices can reach a user of this channel at all (not the web chat: it has no way to reach anyone later). */
  supports(channel: string): boolean;
  get(conversationKey: string): Promise<NoticeSubscription | undefined>;
  /** Opts the user in (again: the year starts over); the subscription as stored. */
  subscribe(input: { conversationKey: string; channel: string; userId: string } & NoticeProfile, now: Date): Promise<NoticeSubscription>;
  /** Opts the user out; false when there was nothing to end. */
  unsubscribe(conversationKey: string): Promise<boolean>;
  /** Keeps the subscription's language, country and audience in step with the conversation; nothing when there is none. */
  update(conversationKey: string, profile: NoticeProfile): Promise<void>;
}
