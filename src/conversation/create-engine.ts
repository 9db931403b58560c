import type { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { ExtractiveAnswerer } from '../answering/extractive-answerer.js';
import { OfflineAnswerer } from '../answering/offline-answerer.js';
import { PromptTemplate } from '../answering/prompt-templates.js';
import type { Config } from '../config/config.js';
import { createConversationPipeline, type HandleMessage } from '../core/conversation-pipeline.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineDeps } from '../core/pipeline-deps.js';
import type { Answerer, BriefWriter, CaseStore, ConversationStore, DedupeStore, ErasureParticipant, SemanticScreen, TextTranslator } from '../core/ports.js';
import { LearnedEscalationScreen } from '../escalation/learned-screen.js';
import { scopeModel } from '../answering/scope-model.js';
import { LearnedScopeScreen } from '../answering/scope-screen.js';
import { YamlEmergencyDirectory } from '../escalation/emergency-directory.js';
import { Messages } from '../i18n/i18n.js';
import { I18nTranslator, LanguageService } from '../i18n/translator.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import type { HybridRetriever } from '../retrieval/hybrid-retriever.js';
import { IntlCountryParser } from './country-parser.js';
import { MemoryCaseStore, MemoryConversationStore, MemoryDedupeStore } from './memory-stores.js';
import { RedisConversationStore, RedisDedupeStore } from './redis-stores.js';
import { CaseRepository } from '../handoff/case-repository.js';
import { HandoffService } from '../handoff/handoff-service.js';
import { PoolDirectory } from '../handoff/pools.js';

type LlmParts = typeof import('../answering/llm-parts.js');
let llmPartsModule: Promise<LlmParts> | undefined;

/**
 * The parts that talk to an LLM (LangChain's chat model, the OpenAI client: about half a second
 * to load) are imported on first need, and only when an LLM is configured: the import starts when
 * the part is made, in the background, and a call waits for it. An offline configuration never
 * loads them.
 */
function later<T>(make: (parts: LlmParts) => T): Promise<T> {
  const ready = (llmPartsModule ??= import('../answering/llm-parts.js')).then(make);
  ready.catch(() => undefined); // a failed import is reported by the call that needs the part
  return ready;
}

export interface Stores {
  conversations: ConversationStore;
  cases: CaseStore;
  dedupe: DedupeStore;
}

/**
 * Redis-backed stores (production), with an optional key prefix (tests). Cases go through the
 * handoff service; without one given, a service with the default pool that tells nobody (one-shot runs, tests).
 */
export function redisStores(redis: Redis, config: Pick<Config, 'env'>, prefix?: string, cases?: CaseStore): Stores {
  const options = { prefix, retentionDays: config.env.RETENTION_DAYS };
  const handoff =
    cases ??
    new HandoffService({
      repository: new CaseRepository(redis, prefix, config.env.RETENTION_DAYS),
      pools: PoolDirectory.load(undefined, config.env.SLACK_ADVISOR_CHANNEL),
      translator: new I18nTranslator(Messages.create()),
    });
  return { conversations: new RedisConversationStore(redis, options), cases: handoff, dedupe: new RedisDedupeStore(redis, options) };
}

/** In-memory stores: one-shot runs and unit tests. */
export function memoryStores(): Stores {
  return { conversations: new MemoryConversationStore(), cases: new MemoryCaseStore(), dedupe: new MemoryDedupeStore() };
}

/** With an LLM configured: the translator between users and advisors (prompts/translate.md); none otherwise. */
export function createTextTranslator(config: Pick<Config, 'llm'>, promptsDir = 'prompts'): TextTranslator | undefined {
  const llm = config.llm;
  if (!llm) return undefined;
  const prompt = readFileSync(`${promptsDir}/translate.md`, 'utf8');
  const ready = later((parts) => parts.llmTextTranslator(llm, prompt));
  return { translate: async (text, to) => (await ready).translate(text, to) };
}

/** The answerer the configuration asks for: an LLM when one is configured, the extractive answer otherwise. */
export function createAnswerer(config: Pick<Config, 'llm'>, messages: Messages, onFallback: (error: Error) => void, promptsDir = 'prompts'): Answerer {
  const extractive = new ExtractiveAnswerer(messages);
  const llm = config.llm;
  if (!llm) return new OfflineAnswerer(extractive);
  const prompts = { system: PromptTemplate.load(promptsDir, 'answer-system.md'), user: PromptTemplate.load(promptsDir, 'answer-user.md') };
  const ready = later((parts) => parts.llmAnswerer(llm, prompts, extractive, messages, { timeoutMs: llm.timeoutMs, onFallback }));
  return { answer: async (input) => (await ready).answer(input) };
}

export interface EngineParts {
  config: Pick<Config, 'llm' | 'env' | 'knowledgeDir'>;
  retriever: HybridRetriever;
  stores: Stores;
  erasure?: ErasureParticipant[];
  /** Where replies are queued outside a turn (case notices); none: replies only return from the turn. */
  outbox?: PipelineDeps['outbox'];
  /** Transcribes voice notes when a speech-to-text model is configured. */
  transcriber?: PipelineDeps['transcriber'];
  /** Who asked for event notices (src/notices); without it, "notify me about job fairs" is an ordinary message. */
  notices?: PipelineDeps['notices'];
  onError: (error: unknown, where: string) => void;
  now?: () => Date;
}

/** Wires the conversation pipeline from its parts. */
export function createEngine(parts: EngineParts): { handle: HandleMessage; deps: PipelineDeps } {
  const messages = Messages.create();
  const llm = parts.config.llm;
  let briefWriter: Promise<BriefWriter> | undefined;
  let semanticScreen: Promise<SemanticScreen> | undefined;
  if (llm) {
    const prompts = { brief: readFileSync('prompts/case-summary.md', 'utf8'), screen: readFileSync('prompts/safety-screen.md', 'utf8') };
    briefWriter = later((llmParts) => llmParts.llmBriefWriter(llm, prompts.brief));
    semanticScreen = later((llmParts) => llmParts.llmSafetyScreen(llm, prompts.screen));
  }
  const deps: PipelineDeps = {
    ...parts.stores,
    erasure: parts.erasure ?? [],
    retriever: parts.retriever,
    answerer: createAnswerer(parts.config, messages, (error) => parts.onError(error, 'llm')),
    translator: new I18nTranslator(messages),
    languages: new LanguageService(),
    countries: new IntlCountryParser(),
    classifier: new LearnedEscalationScreen(),
    scope: new LearnedScopeScreen({}, scopeModel(undefined, parts.config.knowledgeDir)),
    emergency: YamlEmergencyDirectory.load(parts.config.knowledgeDir),
    redactor: new PiiRedactor(),
    clock: { now: parts.now ?? (() => new Date()) },
    briefWriter: briefWriter && { summarize: async (transcript) => (await briefWriter).summarize(transcript) },
    semanticScreen: semanticScreen && { classify: async (text) => (await semanticScreen).classify(text) },
    outbox: parts.outbox,
    transcriber: parts.transcriber,
    notices: parts.notices,
    onError: parts.onError,
    options: { ...DEFAULT_PIPELINE_OPTIONS, retentionDays: parts.config.env.RETENTION_DAYS, threshold: parts.retriever.threshold },
  };
  return { handle: createConversationPipeline(deps), deps };
}
