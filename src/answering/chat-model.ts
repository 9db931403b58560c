import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config/config.js';

/**
 * The configured chat model (OpenAI or a compatible server). Importing this module loads LangChain's
 * OpenAI integration and the OpenAI client (about half a second): create-engine.ts imports it only
 * when an LLM is configured (llm-parts.ts).
 */
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
