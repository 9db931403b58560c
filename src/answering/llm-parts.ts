import type { Config } from '../config/config.js';
import type { Answerer, BriefWriter, SemanticScreen, TextTranslator } from '../core/ports.js';
import { LlmSafetyScreen } from '../escalation/llm-safety-screen.js';
import type { Messages } from '../i18n/i18n.js';
import { createChatModel } from './chat-model.js';
import type { ExtractiveAnswerer } from './extractive-answerer.js';
import { LlmAnswerer, type LlmAnswererOptions } from './llm-answerer.js';
import { LlmBriefWriter } from './llm-brief-writer.js';
import { LlmTextTranslator } from './llm-text-translator.js';
import type { PromptTemplate } from './prompt-templates.js';

/**
 * Everything that talks to an LLM, in one module that create-engine.ts imports dynamically, and only
 * when an LLM is configured: LangChain's chat models and messages and the OpenAI client are not
 * loaded by a configuration that answers offline. Prompts come in already read, so that a missing
 * prompt file still stops the start, not the first turn.
 */
type Llm = NonNullable<Config['llm']>;

export function llmAnswerer(llm: Llm, prompts: { system: PromptTemplate; user: PromptTemplate }, extractive: ExtractiveAnswerer, messages: Messages, options: LlmAnswererOptions): Answerer {
  return new LlmAnswerer(createChatModel(llm), prompts, extractive, messages, options);
}

export function llmTextTranslator(llm: Llm, prompt: string): TextTranslator {
  return new LlmTextTranslator(createChatModel(llm, 0), prompt, Math.min(llm.timeoutMs, 10_000));
}

export function llmBriefWriter(llm: Llm, prompt: string): BriefWriter {
  return new LlmBriefWriter(createChatModel(llm, 0), prompt, Math.min(llm.timeoutMs, 8_000));
}

export function llmSafetyScreen(llm: Llm, prompt: string): SemanticScreen {
  return new LlmSafetyScreen(createChatModel(llm, 0), prompt, Math.min(llm.timeoutMs, 8_000));
}
