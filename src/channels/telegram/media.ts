import type { Api } from 'grammy';
import type { MediaFetcher } from '../../core/ports.js';
import { isAbort, MediaFetchError, readCapped } from '../media-download.js';

export { MediaFetchError };

export interface MediaFetchOptions {
  /** Milliseconds for getFile and the download together (default 30 s); the connection is closed when they pass. */
  timeoutMs?: number;
  /** Largest file taken (default 20 MB, what the Bot API serves at all). */
  maxBytes?: number;
}

/** Fetches a Telegram file (a voice note) by its file_id: getFile, then the file from the Bot API's file root. */
export class TelegramMediaFetcher implements MediaFetcher {
  readonly channel = 'telegram';
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly api: Api,
    private readonly token: string,
    private readonly apiRoot = 'https://api.telegram.org',
    options: MediaFetchOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  }

  async fetch(ref: string): Promise<{ data: Uint8Array; fileName: string }> {
    // One deadline for both steps: the turn waits for the note as a whole.
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      // grammY types its signal with the abort-controller polyfill; at run time it takes a native one.
      const file = await this.api.getFile(ref, signal as unknown as Parameters<Api['getFile']>[1]);
      if (!file.file_path) throw new MediaFetchError('MEDIA_FETCH_FAILED', 'Telegram gave no file_path for the voice note');
      const response = await fetch(`${this.apiRoot}/file/bot${this.token}/${file.file_path}`, { signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new MediaFetchError('MEDIA_FETCH_FAILED', `downloading the voice note failed: HTTP ${response.status}`);
      }
      return { data: await readCapped(response, this.maxBytes, 'the voice note'), fileName: file.file_path.split('/').pop() ?? 'voice.ogg' };
    } catch (error) {
      if (error instanceof MediaFetchError) throw error;
      // grammY wraps the abort in an HttpError; the signal tells the truth either way.
      if (signal.aborted || isAbort(error)) throw new MediaFetchError('MEDIA_TIMEOUT', `fetching the voice note took longer than ${this.timeoutMs} ms`, { cause: error });
      throw new MediaFetchError('MEDIA_FETCH_FAILED', `fetching the voice note failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
