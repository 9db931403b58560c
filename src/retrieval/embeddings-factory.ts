import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config/config.js';
import { LocalEmbeddings } from './local-embeddings.js';

export interface NamedEmbeddings {
  embeddings: Embeddings;
  /** Names the vector space; an index built in another space is rebuilt. */
  id: string;
}

export interface EmbeddingsOptions {
  /** Milliseconds for one embeddings request before it is aborted (default 20 s). */
  timeoutMs?: number;
  /** Retries after a failed or timed-out request (default 1), each after a 1-2 s pause. */
  maxRetries?: number;
}

/**
 * The embedder the configuration asks for: local by default, OpenAI or a compatible server on
 * request. A remote call takes at most about (maxRetries + 1) × timeoutMs plus the pauses: every
 * question is embedded in a turn, so a hung server must not hold the turn for longer.
 */
export function createEmbeddings(config: Pick<Config, 'embeddings'>, options: EmbeddingsOptions = {}): NamedEmbeddings {
  const settings = config.embeddings;
  if (settings.kind === 'openai') {
    return {
      embeddings: new OpenAIEmbeddings({
        model: settings.model,
        // A compatible server (Ollama, vLLM) needs no key, but the client insists on one.
        apiKey: settings.apiKey ?? 'not-needed',
        configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
        // The HTTP client aborts the request (and closes its connection) after `timeout`; LangChain retries.
        timeout: options.timeoutMs ?? 20_000,
        maxRetries: options.maxRetries ?? 1,
      }),
      id: `openai:${settings.baseUrl ?? 'api.openai.com'}:${settings.model}`,
    };
  }
  const local = new LocalEmbeddings();
  return { embeddings: local, id: local.id };
}
