import type { CasePriority } from './case.js';
import type { OutboundMessage } from './message.js';
import type { Retriever } from './knowledge.js';
import type { NoticeSubscriptions } from './notices.js';
import type {
  Answerer,
  BriefWriter,
  CaseStore,
  Clock,
  ConversationStore,
  CountryParser,
  DedupeStore,
  EmergencyDirectory,
  ErasureParticipant,
  EscalationClassifier,
  LanguageDetector,
  Redactor,
  ScopeScreen,
  SemanticScreen,
  Transcriber,
  Translator,
} from './ports.js';

export interface PipelineOptions {
  /** Days a conversation is kept after its last message; told to the user in the privacy notice. */
  retentionDays: number;
  /** Turns kept per conversation (default 20). */
  maxTurns: number;
  /** Minutes a user is told to expect, by case priority. */
  waitMinutes: Record<CasePriority, number>;
  /** Confidence below threshold + this band counts as a borderline answer, which offers the advisor (default 0.15). */
  unresolvedBand: number;
  /** The retriever's confidence threshold (the answerer escalates below it). */
  threshold: number;
}

/** Everything the conversation pipeline needs, injected by the composition root. */
export interface PipelineDeps {
  conversations: ConversationStore;
  cases: CaseStore;
  dedupe: DedupeStore;
  erasure: ErasureParticipant[];
  retriever: Retriever;
  answerer: Answerer;
  translator: Translator;
  languages: LanguageDetector;
  countries: CountryParser;
  classifier: EscalationClassifier;
  emergency: EmergencyDirectory;
  redactor: Redactor;
  clock: Clock;
  /** Tells chit-chat and questions Lotse is not for from its subject; without it every question is searched. */
  scope?: ScopeScreen;
  /** Screens what the patterns let through, when an LLM is configured; a failure leaves the patterns' verdict. */
  semanticScreen?: SemanticScreen;
  /** With an LLM configured: summarises the conversation for the advisor's brief. */
  briefWriter?: BriefWriter;
  /** Transcribes voice notes when a transcription endpoint is configured; otherwise they get a polite reply. */
  transcriber?: Transcriber;
  /** Event notices: who asked for them ("notify me about job fairs and trainings"); without it such requests are ordinary messages. */
  notices?: NoticeSubscriptions;
  /** Takes the replies of a turn (the outbound queue); runs before the message counts as handled. Default: keep them in the result only. */
  outbox?: { deliver(replies: OutboundMessage[]): Promise<void> };
  /** Told about errors the pipeline recovered from (the caller logs them, redacted). */
  onError: (error: unknown, where: string) => void;
  options: PipelineOptions;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  retentionDays: 90,
  maxTurns: 20,
  waitMinutes: { urgent: 15, high: 60, normal: 240 },
  unresolvedBand: 0.15,
  threshold: 0.35,
};
