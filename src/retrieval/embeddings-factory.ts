import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config/config.js';
import { LocalEmbeddings } from './local-embeddings.js';

export interface NamedEmbeddings {
  embeddings: Embeddings;
  /** Names the vector space; an index built in another space is rebuilt. */
  id: string;
}

/** The embedder the configuration asks for: local by default, OpenAI or a compatible server on request. */
export function createEmbeddings(config: Pick<Config, 'embeddings'>): NamedEmbeddings {
  const settings = config.embeddings;
  if (settings.kind === 'openai') {
    return {
      embeddings: new OpenAIEmbeddings({
        model: settings.model,
        // A compatible server (Ollama, vLLM) needs no key, but the client insists on one.
        apiKey: settings.apiKey ?? 'not-needed',
        configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
        maxRetries: 2,
      }),
      id: `openai:${settings.baseUrl ?? 'api.openai.com'}:${settings.model}`,
    };
  }
  const local = new LocalEmbeddings();
  return { embeddings: local, id: local.id };
}
