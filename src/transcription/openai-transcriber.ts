import OpenAI, { toFile } from 'openai';
import type { InboundMessage } from '../core/message.js';
import type { MediaFetcher, Transcriber } from '../core/ports.js';

export interface TranscriberConfig {
  model: string;
  apiKey?: string;
  baseUrl?: string;
  timeoutMs: number;
}

/**
 * Voice notes to text through an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI,
 * a local faster-whisper or vLLM server): the note is fetched from its channel and sent as a file.
 */
export class OpenAiTranscriber implements Transcriber {
  private readonly client: OpenAI;
  private readonly fetchers: Map<string, MediaFetcher>;

  constructor(
    private readonly config: TranscriberConfig,
    fetchers: MediaFetcher[],
  ) {
    this.client = new OpenAI({ apiKey: config.apiKey ?? 'not-needed', baseURL: config.baseUrl, timeout: config.timeoutMs, maxRetries: 1 });
    this.fetchers = new Map(fetchers.map((fetcher) => [fetcher.channel, fetcher]));
  }

  async transcribe(message: InboundMessage): Promise<string | undefined> {
    const fetcher = this.fetchers.get(message.channel);
    if (!fetcher || !message.media) return undefined;
    const { data, fileName } = await fetcher.fetch(message.media.ref);
    const result = await this.client.audio.transcriptions.create({ file: await toFile(data, fileName), model: this.config.model });
    return result.text;
  }
}
