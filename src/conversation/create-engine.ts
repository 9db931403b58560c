import type { Redis } from 'ioredis';
import { ChatOpenAI } from '@langchain/openai';
import { ExtractiveAnswerer } from '../answering/extractive-answerer.js';
import { LlmAnswerer } from '../answering/llm-answerer.js';
import { OfflineAnswerer } from '../answering/offline-answerer.js';
import { PromptTemplate } from '../answering/prompt-templates.js';
import type { Config } from '../config/config.js';
import { createConversationPipeline, type HandleMessage } from '../core/conversation-pipeline.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineDeps } from '../core/pipeline-deps.js';
import type { Answerer, CaseStore, ConversationStore, DedupeStore, ErasureParticipant, TextTranslator } from '../core/ports.js';
import { LlmTextTranslator } from '../answering/llm-text-translator.js';
import { LlmBriefWriter } from '../answering/llm-brief-writer.js';
import { readFileSync } from 'node:fs';
import { LlmSafetyScreen } from '../escalation/llm-safety-screen.js';
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

/** The configured chat model (OpenAI or a compatible server). */
export function createChatModel(llm: NonNullable<Config['llm']>, temperature = 0.1): ChatOpenAI {
  return new ChatOpenAI({
    model: llm.model,
    apiKey: llm.apiKey ?? 'not-needed',
    configuration: llm.baseUrl ? { baseURL: llm.baseUrl } : undefined,
    temperature,
    maxRetries: 0,
    timeout: llm.timeoutMs,
  });
}

/** With an LLM configured: the translator between users and advisors (prompts/translate.md); none otherwise. */
export function createTextTranslator(config: Pick<Config, 'llm'>, promptsDir = 'prompts'): TextTranslator | undefined {
  if (!config.llm) return undefined;
  return new LlmTextTranslator(createChatModel(config.llm, 0), readFileSync(`${promptsDir}/translate.md`, 'utf8'), Math.min(config.llm.timeoutMs, 10_000));
}

/** The answerer the configuration asks for: an LLM when one is configured, the extractive answer otherwise. */
export function createAnswerer(config: Pick<Config, 'llm'>, messages: Messages, onFallback: (error: Error) => void, promptsDir = 'prompts'): Answerer {
  const extractive = new ExtractiveAnswerer(messages);
  if (!config.llm) return new OfflineAnswerer(extractive);
  const model = createChatModel(config.llm);
  const prompts = { system: PromptTemplate.load(promptsDir, 'answer-system.md'), user: PromptTemplate.load(promptsDir, 'answer-user.md') };
  return new LlmAnswerer(model, prompts, extractive, messages, { timeoutMs: config.llm.timeoutMs, onFallback });
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
  onError: (error: unknown, where: string) => void;
  now?: () => Date;
}

/** Wires the conversation pipeline from its parts. */
export function createEngine(parts: EngineParts): { handle: HandleMessage; deps: PipelineDeps } {
  const messages = Messages.create();
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
    briefWriter: parts.config.llm ? new LlmBriefWriter(createChatModel(parts.config.llm, 0), readFileSync('prompts/case-summary.md', 'utf8'), Math.min(parts.config.llm.timeoutMs, 8_000)) : undefined,
    semanticScreen: parts.config.llm
      ? new LlmSafetyScreen(createChatModel(parts.config.llm, 0), readFileSync('prompts/safety-screen.md', 'utf8'), Math.min(parts.config.llm.timeoutMs, 8_000))
      : undefined,
    outbox: parts.outbox,
    transcriber: parts.transcriber,
    onError: parts.onError,
    options: { ...DEFAULT_PIPELINE_OPTIONS, retentionDays: parts.config.env.RETENTION_DAYS, threshold: parts.retriever.threshold },
  };
  return { handle: createConversationPipeline(deps), deps };
}
