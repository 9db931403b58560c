import type { Answer, EscalationReason } from './answer.js';
import type { Case } from './case.js';
import type { DangerKind } from './danger.js';
import type { Conversation } from './conversation.js';
import { RTL_LANGUAGES, type Language, type RetrievalResult } from './knowledge.js';
import type { InboundMessage, OutboundMessage, ReplyButton, SourceLabels } from './message.js';
import type { SourceRef } from './answer.js';

/** The decision to hand the conversation to a human. */
export interface EscalationDecision {
  reason: EscalationReason;
  /** The kind of danger, for a safety escalation where the screen could tell. */
  danger?: DangerKind;
}

/** What one inbound message produces: replies, and the decisions taken on the way. */
export interface TurnResult {
  replies: OutboundMessage[];
  escalation?: EscalationDecision;
  openedCase?: Case;
  answer?: Answer;
  /** True when the message was a redelivery and nothing was done. */
  duplicate: boolean;
  /** True when the user's data was erased in this turn. */
  erased: boolean;
  /** What statistics and metrics may count of this turn (no identifier, no text but a redacted unanswered question). */
  facts?: TurnFacts;
}

/** Answered from the knowledge; not answerable from it (low confidence); or answered by handing over (a sensitive or dangerous question). */
export type QuestionOutcome = 'answered' | 'unanswered' | 'escalated';

/** What one turn tells the service's statistics: set only for a user who has agreed to the privacy notice. */
export interface TurnFacts {
  channel: string;
  language: Language;
  country?: string;
  audience?: 'prospective' | 'returnee';
  /** The user agreed to the privacy notice in this turn: a conversation starts (a new user, or one whose record expired or was erased). */
  started: boolean;
  /** A question that went to retrieval, and what became of it. */
  question?: {
    /** Retrieval's confidence in [0, 1]. */
    confidence: number;
    outcome: QuestionOutcome;
    /** The question with personal data redacted: kept only for an unanswered one, to guide content work. */
    redacted?: string;
    /** The topics and document ids of the passages the answer used (or, unanswered, the best ones retrieval found). */
    topics: string[];
    sources: string[];
  };
}

/** The state of one message as it passes through the pipeline. */
export class TurnContext {
  conversation!: Conversation;
  /** The text of the message as the pipeline reads it (trimmed; a voice note's transcript). */
  text: string;
  retrieval?: RetrievalResult;
  readonly result: TurnResult = { replies: [], duplicate: false, erased: false };
  /** Set when a step decided the conversation needs no saving (erased, or no consent). */
  skipSave = false;
  /** Whether this message may be stored (false until consent). */
  storeMessage = true;
  /** How many of the replies are already in the outbox. */
  delivered = 0;
  /** The open case this message was also shown to the advisors for, while Lotse still answers. */
  waitingCase?: Case;
  /** Set when the safety screen saw danger, or a risk signal: any escalation of this turn is then a safety one. */
  risk?: { danger?: DangerKind };
  /** The question retrieval was asked, redacted, and whether Lotse answered it. */
  asked?: { redacted: string; outcome: QuestionOutcome };
  /** True once the emergency contacts were shown in this turn. */
  contactsShown = false;
  /** The screen read a request for a human, but not surely: answer, and offer the advisor. */
  offerAdvisor = false;
  /** The user skipped the question for their country: answer without it, do not ask again. */
  countrySkipped = false;

  constructor(
    readonly message: InboundMessage,
    readonly now: Date,
  ) {
    this.text = message.text.trim();
  }

  get language(): Language {
    return this.conversation.language;
  }

  /** Queues a reply in the conversation's language. */
  reply(text: string, extra: { buttons?: ReplyButton[]; sources?: SourceRef[]; sourceLabels?: SourceLabels } = {}): void {
    const language = this.conversation.language;
    this.result.replies.push({
      id: `${this.message.id}:${this.result.replies.length}`,
      channel: this.message.channel,
      userId: this.message.userId,
      text,
      language,
      direction: RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr',
      ...(this.result.replies.length === 0 ? { inboundReceivedAt: this.message.receivedAt } : {}),
      ...extra,
    });
  }

  escalate(reason: EscalationReason): void {
    // Safety outranks any other reason found for the same message.
    if (this.result.escalation?.reason === 'safety') return;
    this.result.escalation = reason === 'safety' ? { reason, danger: this.risk?.danger } : { reason };
  }
}
