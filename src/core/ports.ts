import type { Answer } from './answer.js';
import type { Case, NewCase } from './case.js';
import type { Conversation, Turn } from './conversation.js';
import type { Language, RetrievalResult } from './knowledge.js';
import type { InboundMessage } from './message.js';

/** Port: where conversations live (Redis in production, memory in unit tests). */
export interface ConversationStore {
  get(key: string): Promise<Conversation | undefined>;
  save(conversation: Conversation): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Port: advisor cases, as the conversation pipeline sees them (the advisors' side is the handoff service). */
export interface CaseStore {
  /** Opens a case, routed to the advisor pool that fits it, and tells the advisors. */
  open(input: NewCase): Promise<Case>;
  get(id: string): Promise<Case | undefined>;
  /** The conversation's case while it is open or claimed. */
  findOpen(conversationKey: string): Promise<Case | undefined>;
  /** Removes every case of a conversation; returns how many. */
  deleteForConversation(conversationKey: string): Promise<number>;
  /** Open cases ahead of this one, and the expected wait in minutes (from the pool's recent claim times; `fallbackMinutes` without any). */
  waitInfo(c: Case, fallbackMinutes: number): Promise<{ ahead: number; minutes: number }>;
  /** Shows the advisors what the user wrote, or what Lotse answered, while the case is open; once per `dedupeKey`. */
  record(c: Case, event: { type: 'user_message' | 'bot_answer'; text: string; media?: { kind: string; ref?: string } }, dedupeKey: string): Promise<void>;
  /** The user went back to Lotse before an advisor took over, or while one had it. */
  cancel(c: Case): Promise<void>;
  /** The user asked for a woman advisor: the case moves where a pool has one; true when there is one. */
  preferWoman(c: Case): Promise<boolean>;
}

/**
 * Port: remembers which platform messages were handled, so a redelivery is a no-op, while a
 * message whose handling failed half-way can still be handled again (nothing is lost).
 */
export interface DedupeStore {
  /**
   * True when this caller may handle the message: it was not handled to the end yet. The queue runs
   * one handler per conversation at a time, so a claim left by a handler that died mid-turn is
   * taken over (the message is handled again, not lost).
   */
  claim(messageId: string): Promise<boolean>;
  /** Marks a claimed message handled, for good. */
  complete(messageId: string): Promise<void>;
  /** Gives a claim back after a failure, so that a retry handles the message. */
  release(messageId: string): Promise<void>;
  /** Forgets the ids of one conversation (erasure). */
  forget(conversationKey: string): Promise<void>;
}

/** Port: something else that holds data of a user and must erase it on "delete" (queued jobs, transcripts). */
export interface ErasureParticipant {
  readonly name: string;
  erase(conversationKey: string): Promise<void>;
}

export interface AnswerInput {
  question: string;
  language: Language;
  retrieval: RetrievalResult;
  history: Turn[];
}

/** Port: turns retrieved passages into an answer (an LLM, or the offline extractive answerer). */
export interface Answerer {
  answer(input: AnswerInput): Promise<Answer>;
}

/** Port: Lotse's own words in every language. */
export interface Translator {
  t(language: Language, key: string, params?: Record<string, unknown>): string;
  /** The words that mean a command or choice (e.g. "commandWords.help"), in every language, normalised. */
  words(key: string): string[];
}

export interface DetectedLanguage {
  language: Language;
  /** False when the text is too short or too mixed to tell; the caller should prefer what it knew. */
  confident: boolean;
}

export interface LanguageDetector {
  detect(text: string, fallback: Language): DetectedLanguage;
  /** A language from its name in any language ("Deutsch", "allemand", "العربية"), or undefined. */
  parseName(text: string): Language | undefined;
}

/** Port: finds a country in what the user wrote ("Ghana", "Гана", "غانا"). */
export interface CountryParser {
  parse(text: string): string | undefined;
}

export type SignalReason = 'safety' | 'sensitive' | 'user_request';

/** Port: recognises messages that must go to a human, and why. */
export interface EscalationClassifier {
  classify(text: string): SignalReason | undefined;
}

/** Port: a slower, semantic second screen (an LLM) for messages the patterns found nothing in. */
export interface SemanticScreen {
  classify(text: string): Promise<SignalReason | undefined>;
}

export interface EmergencyContact {
  kind: string;
  name: string;
  number: string;
  note?: string;
}

/** Port: the emergency and help numbers that fit a user's country (and Germany). */
export interface EmergencyDirectory {
  contactsFor(country: string | undefined): EmergencyContact[];
}

/** Port: removes personal data (phones, e-mails, ID numbers) from text bound for an LLM or a log. */
export interface Redactor {
  redact(text: string): string;
}

/** Port: turns a voice note into text (an OpenAI-compatible transcription endpoint); undefined when it cannot. */
export interface Transcriber {
  transcribe(message: InboundMessage): Promise<string | undefined>;
}

/** Port: fetches a message's media from its channel (Telegram: getFile, then the file). */
export interface MediaFetcher {
  readonly channel: string;
  fetch(ref: string): Promise<{ data: Uint8Array; fileName: string }>;
}

/** Port: translates a message into a language (an LLM); throws when it cannot, and the caller keeps the original. */
export interface TextTranslator {
  translate(text: string, to: string): Promise<string>;
}

/** Port: writes the advisor's brief from a redacted transcript (an LLM); throws when it cannot, and the brief is built from the transcript alone. */
export interface BriefWriter {
  summarize(transcript: string[]): Promise<string>;
}

/** Port: the current time (tests set it). */
export interface Clock {
  now(): Date;
}
