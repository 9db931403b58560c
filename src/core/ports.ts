import type { DangerKind } from './danger.js';
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
  /** The user wrote about danger while the case waited or was held: it becomes an urgent safety case. */
  raiseToSafety(c: Case, danger: DangerKind | undefined): Promise<void>;
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

/**
 * Port: something else that holds data of a user and must erase it on "delete" (queued jobs,
 * transcripts, subscriptions), and show it for a request of access (`npm run export`).
 */
export interface ErasureParticipant {
  /** The section's name in an export ("web chat replies"). */
  readonly name: string;
  /** What it holds of a user and for how long, in a sentence, for the export's list of what Lotse holds. */
  readonly holds?: string;
  erase(conversationKey: string): Promise<void>;
  /** What it holds of the user, as plain JSON (undefined: nothing); absent where it holds nothing a person could read (markers). */
  export?(conversationKey: string): Promise<unknown>;
}

export interface AnswerInput {
  question: string;
  language: Language;
  retrieval: RetrievalResult;
  history: Turn[];
}

/**
 * What a message is about, for Lotse: its subject, passing talk, or something it is not for
 * (surely, or probably: then only when the knowledge has no sure answer either).
 */
export type Scope = 'in_scope' | 'chitchat' | 'out_of_scope' | 'likely_out_of_scope';

/** Port: tells a question Lotse is for from chit-chat and from questions it is not for (the weather). */
export interface ScopeScreen {
  classify(text: string): Scope;
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
  /** The languages in which the whole text is one of those words ("bonjour": fr; "ok": several). */
  languagesOfWord(key: string, text: string): Language[];
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

/** What the safety screen found in one message. */
export interface ScreenVerdict {
  /** Why the message must go to a human, if it must. */
  reason?: SignalReason;
  /** The kind of danger, when the reason is safety (or a risk was seen). */
  danger?: DangerKind;
  /** Calibrated probability (0-1) that the message describes a danger. */
  risk: number;
  /**
   * A risk signal too weak to escalate on its own: when the message escalates for any other
   * reason, it goes with the emergency contacts and safety priority.
   */
  atRisk: boolean;
  /**
   * A request for a human read from the wording alone, not sure enough to hand the conversation
   * over unasked (no rule matched, the model short of sure): Lotse answers and offers the advisor.
   */
  tentative?: boolean;
}

/** Port: recognises messages that must go to a human, and why, in the languages the message may be in. */
export interface EscalationClassifier {
  screen(text: string, languages: readonly Language[]): ScreenVerdict;
}

/** What a semantic screen (an LLM) decided about one message. */
export interface SemanticVerdict {
  reason?: SignalReason;
  danger?: DangerKind;
}

/** Port: a slower, semantic screen (an LLM) that sees every message; either screen can raise safety. */
export interface SemanticScreen {
  classify(text: string): Promise<SemanticVerdict>;
}

export type ContactKind = 'emergency' | 'police' | 'ambulance' | 'anti-trafficking' | 'mental-health' | 'women-violence' | 'migration-hotline';

export interface EmergencyContact {
  kind: ContactKind;
  /** The country the contact is in (ISO 3166-1 alpha-2). */
  country: string;
  /** Name and note in the language asked for (English where no translation exists). */
  name: string;
  number: string;
  note?: string;
}

/** Port: the emergency and help numbers that fit a user's country (and Germany) and the kind of danger. */
export interface EmergencyDirectory {
  contactsFor(country: string | undefined, danger: DangerKind | undefined, language: Language): EmergencyContact[];
  /** The country's name in the language asked for, when the directory knows the country. */
  countryName(country: string, language: Language): string | undefined;
  /** Whether the directory has local numbers for the country. */
  covers(country: string): boolean;
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
