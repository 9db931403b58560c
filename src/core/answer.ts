import type { Language } from './knowledge.js';

/** Why a conversation goes to a human; the values are part of the public JSON contract. */
export type EscalationReason = 'user_request' | 'low_confidence' | 'sensitive' | 'safety';

export interface SourceRef {
  id: string;
  title: string;
  url: string;
  asOf: string;
}

/** The answer the `ask --json` contract prints (`language`, `answer`, `sources`, `escalate`, `reason`). */
export interface Answer {
  language: Language;
  /** The whole answer as plain text: the body, then the numbered sources with their as-of dates. */
  answer: string;
  sources: SourceRef[];
  escalate: boolean;
  reason: EscalationReason | null;
  /** The answer as channels show it (Markdown, without the sources, which go in `sources`). */
  body?: string;
  /** What the short answer left out, for the user's "more". */
  more?: MoreAnswer;
}

/** The rest of an answer, sent when the user asks for more. */
export interface MoreAnswer {
  text: string;
  sources: SourceRef[];
}
