import type { EscalationReason } from './answer.js';
import type { DangerKind } from './danger.js';
import type { Language } from './knowledge.js';

export type CasePriority = 'urgent' | 'high' | 'normal';
/** open: waiting for an advisor; claimed: an advisor has it; resolved/cancelled: back with the bot. */
export type CaseStatus = 'open' | 'claimed' | 'resolved' | 'cancelled';
/** What came of a case, counted in statistics without personal data. */
export type CaseOutcome = 'answered' | 'referred' | 'no_show' | 'other';
export const CASE_OUTCOMES: readonly CaseOutcome[] = ['answered', 'referred', 'no_show', 'other'];

/** An advisor as the handoff knows them: who, and from where they act. */
export interface AdvisorRef {
  /** Stable id: a Slack user id ("U123") or a console account name. */
  id: string;
  /** Display name shown to other advisors (never to logs). */
  name: string;
  via: 'slack' | 'console';
}

/** What the advisor needs to pick the case up. Text in it is redacted. */
export interface CaseBrief {
  /** What the user asked, most recent last. */
  asked: string[];
  /** What Lotse answered last, and from which sources. */
  answered?: string;
  sources: { title: string; url: string }[];
  /** Facts the user gave: country, returnee or prospective, occupation. */
  facts: Record<string, string>;
  /** What is still open, in one line. */
  open: string;
  /** A summary written by the LLM, when one is configured. */
  summary?: string;
}

/** A conversation handed to the advisors, with what they need to pick it up. */
export interface Case {
  id: string;
  conversationKey: string;
  channel: string;
  userId: string;
  priority: CasePriority;
  language: string;
  country?: string;
  /** The knowledge topic the conversation was about, when known. */
  topic?: string;
  reason: EscalationReason;
  /** The kind of danger of a safety case, where the screen could tell. */
  danger?: DangerKind;
  /** A short, redacted summary for the advisor (plain text; `details` has the structure). */
  brief: string;
  details?: CaseBrief;
  status: CaseStatus;
  /** The advisor pool the case is routed to. */
  pool: string;
  /** The user asked for a woman advisor. */
  wantsWoman?: boolean;
  createdAt: string;
  updatedAt?: string;
  claimedBy?: AdvisorRef;
  claimedAt?: string;
  closedAt?: string;
  outcome?: CaseOutcome;
  /** Where the case is shown in Slack (its message), once posted. */
  slack?: { channel: string; ts: string };
}

export type NewCase = Omit<Case, 'id' | 'status' | 'createdAt' | 'claimedBy' | 'pool'> & { language: Language; pool?: string };

/** Safety first, then individual cases, then everything else. */
export function priorityFor(reason: EscalationReason): CasePriority {
  return reason === 'safety' ? 'urgent' : reason === 'sensitive' ? 'high' : 'normal';
}

/**
 * Something a conversation's channel tells the advisors of its open case. Defined here, not with the
 * channels, because it is kept in the case's history (core depends on nothing outside core);
 * src/channels/registry.ts re-exports it for the channels.
 */
export type ChannelNotice =
  /** WhatsApp's 24-hour customer-service window closes soon: a free reply is possible until then. */
  | { kind: 'window_closing'; closesAt: string }
  /** The window has closed: only an approved template reaches the user until they write again (`template`: one was sent to them). */
  | { kind: 'window_closed'; template: boolean };

/** One entry of a case's history: what the advisors see, in order. */
export type CaseEvent =
  | { id: string; type: 'opened'; at: string }
  | { id: string; type: 'user_message'; at: string; text: string; media?: { kind: string; ref?: string }; translation?: string }
  /** A question the bot answered while the case waited (the advisor sees both). */
  | { id: string; type: 'bot_answer'; at: string; text: string }
  | { id: string; type: 'advisor_message'; at: string; advisor: AdvisorRef; text: string; translation?: string }
  | { id: string; type: 'claimed' | 'released'; at: string; advisor: AdvisorRef }
  | { id: string; type: 'transferred'; at: string; advisor: AdvisorRef; toPool: string }
  /** The holder handed the case to a colleague, who now holds it. */
  | { id: string; type: 'handed_over'; at: string; advisor: AdvisorRef; to: AdvisorRef }
  | { id: string; type: 'resolved'; at: string; advisor: AdvisorRef; outcome?: CaseOutcome }
  | { id: string; type: 'cancelled'; at: string }
  | { id: string; type: 'sla_reminder'; at: string; step: number }
  /** The user wrote about danger: the case became an urgent safety case. */
  | { id: string; type: 'raised'; at: string; danger?: DangerKind }
  /** The user's channel limits what the advisors can send (WhatsApp's 24-hour window). */
  | { id: string; type: 'channel_notice'; at: string; notice: ChannelNotice };
