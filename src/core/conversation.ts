import type { MoreAnswer } from './answer.js';
import type { DangerKind } from './danger.js';
import type { Audience, Language } from './knowledge.js';

export type ConversationState = 'bot' | 'waiting' | 'with_advisor';

export interface Turn {
  role: 'user' | 'bot' | 'advisor';
  text: string;
  at: string;
}

/** What the user told us about themselves; scopes retrieval. */
export interface Profile {
  /** ISO 3166-1 alpha-2 (XK for Kosovo). */
  country?: string;
  audience?: Exclude<Audience, 'all'>;
  programme?: string;
}

export interface Consent {
  status: 'pending' | 'given' | 'declined';
  /** ISO time of the answer. */
  at?: string;
  /** Version of the privacy notice the answer refers to. */
  version: number;
}

/** Everything Lotse keeps about one user on one channel. */
export interface Conversation {
  key: string;
  channel: string;
  userId: string;
  language: Language;
  /** True once the user chose the language: detection no longer switches it. */
  languageLocked: boolean;
  consent: Consent;
  profile: Profile;
  /** A multi-step flow in progress: the next message answers it. */
  pending?: 'language' | 'country' | 'audience' | 'help_country' | 'answer_country' | 'confirm_country';
  /** The country of a location the user shared, until they confirm it (pending `confirm_country`). */
  proposedCountry?: string;
  /**
   * A question Lotse still owes an answer to: sent before the user agreed to the privacy notice
   * (answered right after "yes", deleted with "no"), or waiting for the country it depends on.
   */
  heldQuestion?: string;
  /** The rest of the last answer, for "more". */
  more?: MoreAnswer;
  /** The danger the last safety reply was about, while Lotse waits to hear the country for local numbers. */
  helpFor?: DangerKind | 'unknown';
  state: ConversationState;
  caseId?: string;
  /** Consecutive questions answered with low confidence. */
  unresolved: number;
  /** True once the user asked for event notices (until they stop them): each turn keeps their subscription in step with the profile. */
  noticeSubscriber?: boolean;
  /** Recent turns, oldest first, capped. */
  turns: Turn[];
  createdAt: string;
  updatedAt: string;
}

/**
 * The privacy notice's version, kept with each answer to it (the notice shown at first contact).
 * 2: it names what the handoff, the statistics and the event notices keep, and for how long. A
 * new version is not asked again of those who answered an earlier one (nothing compares it): the
 * record says which text they agreed to, and a conversation mid-handoff is never interrupted.
 */
export const PRIVACY_NOTICE_VERSION = 2;

/** A new conversation: nothing but the consent record until the user agrees. */
export function newConversation(key: string, channel: string, userId: string, language: Language, now: string): Conversation {
  return {
    key,
    channel,
    userId,
    language,
    languageLocked: false,
    consent: { status: 'pending', version: PRIVACY_NOTICE_VERSION },
    profile: {},
    state: 'bot',
    unresolved: 0,
    turns: [],
    createdAt: now,
    updatedAt: now,
  };
}
