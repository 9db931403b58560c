import type { Language } from './knowledge.js';

/** Why a conversation goes to a human; the values are part of the public JSON contract. */
export type EscalationReason = 'user_request' | 'low_confidence' | 'sensitive' | 'safety';

export interface SourceRef {
  id: string;
  title: string;
  url: string;
  asOf: string;
}

/** The answer the `ask --json` contract prints. */
export interface Answer {
  language: Language;
  answer: string;
  sources: SourceRef[];
  escalate: boolean;
  reason: EscalationReason | null;
}
