import OpenAI, { toFile } from 'openai';
import { LotseError } from '../core/errors.js';
import type { InboundMessage } from '../core/message.js';
import type { MediaFetcher, Transcriber } from '../core/ports.js';

export interface TranscriberConfig {
  model: string;
  apiKey?: string;
  baseUrl?: string;
  /** Milliseconds for the transcription request, its one retry included; the request is aborted when they pass. */
  timeoutMs: number;
}

/**
 * Voice notes to text through an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI,
 * a local faster-whisper or vLLM server): the note is fetched from its channel (within the
 * fetcher's own deadline) and sent as a file.
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
    // The client's timeout is per attempt; this signal bounds the attempts and their backoff together.
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const result = await this.client.audio.transcriptions.create({ file: await toFile(data, fileName), model: this.config.model }, { signal });
      return result.text;
    } catch (cause) {
      const timedOut = signal.aborted || cause instanceof OpenAI.APIConnectionTimeoutError;
      throw new LotseError(timedOut ? 'LLM_TIMEOUT' : 'LLM_FAILED', `Transcribing the voice note failed: ${(cause as Error).message}`, {
        hint: timedOut ? 'the transcription server did not answer within LLM_TIMEOUT_MS' : 'check TRANSCRIPTION_MODEL and OPENAI_BASE_URL',
        cause,
      });
    }
  }
}
