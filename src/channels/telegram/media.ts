import type { Api } from 'grammy';
import type { MediaFetcher } from '../../core/ports.js';

export interface MediaFetchOptions {
  /** Milliseconds for getFile and the download together (default 30 s); the connection is closed when they pass. */
  timeoutMs?: number;
  /** Largest file taken (default 20 MB, what the Bot API serves at all). */
  maxBytes?: number;
}

/** A voice note that could not be fetched; `code` says whether it took too long. */
export class MediaFetchError extends Error {
  constructor(
    readonly code: 'MEDIA_TIMEOUT' | 'MEDIA_FETCH_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaFetchError';
  }
}

const isAbort = (error: unknown) => (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError';

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
      return { data: await readCapped(response, this.maxBytes), fileName: file.file_path.split('/').pop() ?? 'voice.ogg' };
    } catch (error) {
      if (error instanceof MediaFetchError) throw error;
      // grammY wraps the abort in an HttpError; the signal tells the truth either way.
      if (signal.aborted || isAbort(error)) throw new MediaFetchError('MEDIA_TIMEOUT', `fetching the voice note took longer than ${this.timeoutMs} ms`, { cause: error });
      throw new MediaFetchError('MEDIA_FETCH_FAILED', `fetching the voice note failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** The body, refused once it grows past maxBytes (a lying or missing content-length included). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaFetchError('MEDIA_FETCH_FAILED', `the voice note is larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new MediaFetchError('MEDIA_FETCH_FAILED', `the voice note is larger than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
