import type { EscalationReason } from './answer.js';
import type { Language } from './knowledge.js';

export type CasePriority = 'urgent' | 'high' | 'normal';
export type CaseStatus = 'open' | 'claimed' | 'resolved';

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
  /** A short, redacted summary for the advisor. */
  brief: string;
  status: CaseStatus;
  createdAt: string;
  claimedBy?: string;
}

export type NewCase = Omit<Case, 'id' | 'status' | 'createdAt' | 'claimedBy'> & { language: Language };

/** Safety first, then individual cases, then everything else. */
export function priorityFor(reason: EscalationReason): CasePriority {
  return reason === 'safety' ? 'urgent' : reason === 'sensitive' ? 'high' : 'normal';
}
