import type { MediaFetcher } from '../../../core/ports.js';
import { isAbort, MediaFetchError, readCapped } from '../../media-download.js';
import type { WhatsAppCloudSettings } from '../config.js';

export interface CloudMediaOptions {
  /** Milliseconds for the lookup and the download together (default 30 s); the connection is closed when they pass. */
  timeoutMs?: number;
  /** Largest file taken (default 16 MB, what WhatsApp allows for audio and video). */
  maxBytes?: number;
}

/** File name endings by MIME type: a transcriber tells the audio format by the name. */
const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/**
 * Fetches a WhatsApp file (a voice note, a photo, a document) by its media id: the Graph API gives
 * a short-lived download address, which also wants the access token. Ids come from checked
 * webhooks; one that could not be a media id is refused before any request.
 */
export class WhatsAppCloudMediaFetcher implements MediaFetcher {
  readonly channel = 'whatsapp';
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly settings: Pick<WhatsAppCloudSettings, 'graphApiUrl' | 'token'>,
    options: CloudMediaOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  }

  async fetch(ref: string): Promise<{ data: Uint8Array; fileName: string }> {
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(ref)) throw new MediaFetchError('MEDIA_FETCH_FAILED', 'not a WhatsApp media id');
    // One deadline for both steps: the turn waits for the file as a whole.
    const signal = AbortSignal.timeout(this.timeoutMs);
    const headers = { authorization: `Bearer ${this.settings.token}` };
    try {
      const lookup = await fetch(`${this.settings.graphApiUrl}/${ref}`, { headers, signal });
      if (!lookup.ok) {
        await lookup.body?.cancel();
        throw new MediaFetchError('MEDIA_FETCH_FAILED', `looking up the media failed: HTTP ${lookup.status}`);
      }
      const info = (await lookup.json().catch(() => ({}))) as { url?: unknown; mime_type?: unknown; file_size?: unknown };
      if (typeof info.url !== 'string' || !/^https?:\/\//.test(info.url)) throw new MediaFetchError('MEDIA_FETCH_FAILED', 'the Graph API gave no download address for the media');
      if (typeof info.file_size === 'number' && info.file_size > this.maxBytes) throw new MediaFetchError('MEDIA_FETCH_FAILED', `the media is larger than ${this.maxBytes} bytes`);
      const response = await fetch(info.url, { headers, signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new MediaFetchError('MEDIA_FETCH_FAILED', `downloading the media failed: HTTP ${response.status}`);
      }
      const mimeType = typeof info.mime_type === 'string' ? info.mime_type : (response.headers.get('content-type') ?? '');
      const extension = EXTENSIONS[mimeType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
      return { data: await readCapped(response, this.maxBytes, 'the media'), fileName: `${ref}.${extension}` };
    } catch (error) {
      if (error instanceof MediaFetchError) throw error;
      if (signal.aborted || isAbort(error)) throw new MediaFetchError('MEDIA_TIMEOUT', `fetching the media took longer than ${this.timeoutMs} ms`, { cause: error });
      throw new MediaFetchError('MEDIA_FETCH_FAILED', `fetching the media failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
