import { Embeddings } from '@langchain/core/embeddings';
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

/** Embeddings made on first use: the module behind them is imported then, not at start. */
class LazyEmbeddings extends Embeddings {
  private inner: Promise<Embeddings> | undefined;

  constructor(private readonly make: () => Promise<Embeddings>) {
    super({});
  }

  private ready(): Promise<Embeddings> {
    return (this.inner ??= this.make());
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return (await this.ready()).embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.ready()).embedQuery(text);
  }
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
      embeddings: new LazyEmbeddings(async () => {
        // LangChain's OpenAI integration and the OpenAI client load only for remote embeddings.
        const { OpenAIEmbeddings } = await import('@langchain/openai');
        return new OpenAIEmbeddings({
          model: settings.model,
          // A compatible server (Ollama, vLLM) needs no key, but the client insists on one.
          apiKey: settings.apiKey ?? 'not-needed',
          configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
          // The HTTP client aborts the request (and closes its connection) after `timeout`; LangChain retries.
          timeout: options.timeoutMs ?? 20_000,
          maxRetries: options.maxRetries ?? 1,
        });
      }),
      id: `openai:${settings.baseUrl ?? 'api.openai.com'}:${settings.model}`,
    };
  }
  const local = new LocalEmbeddings();
  return { embeddings: local, id: local.id };
}
