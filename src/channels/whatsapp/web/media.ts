import type { Redis } from 'ioredis';
import { LotseError } from '../../../core/errors.js';
import type { MessageKind } from '../../../core/message.js';
import type { MediaFetcher } from '../../../core/ports.js';
import type { WebMediaLike } from './client.js';
import { DAY_SECONDS, waWebKeys } from './keys.js';

/** Largest file kept: WhatsApp's own limit for voice notes and photos; larger documents are not taken. */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/** `<userId>:<message id>`, as inbound.ts builds it; anything else is refused before it reaches a key. */
const REF = /^(?:lid:)?\d{5,32}:[A-Za-z0-9_-]{1,64}$/;

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

const BASE_NAMES: Partial<Record<MessageKind, string>> = { voice: 'voice', photo: 'photo', document: 'document' };

/**
 * The name the file is kept under. A voice note's name carries its format (the transcription
 * service reads the extension); a document keeps its own name, reduced to safe characters.
 */
export function mediaFileName(kind: MessageKind, media: Pick<WebMediaLike, 'mimetype' | 'filename'>): string {
  const mime = (media.mimetype ?? '').split(';')[0]!.trim().toLowerCase();
  const own = typeof media.filename === 'string' ? media.filename.split(/[\\/]/).pop()!.replace(/[^\p{L}\p{N}._ -]/gu, '_').trim().slice(-120) : '';
  if (kind === 'document' && own && !own.startsWith('.')) return own;
  return `${BASE_NAMES[kind] ?? 'file'}.${EXTENSIONS[mime] ?? 'bin'}`;
}

/** The decoded size of a base64 text, without decoding it. */
function decodedSize(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** A file that was not kept: too large, or not a file at all. */
export class MediaRefusedError extends Error {
  constructor(reason: string) {
    super(`WhatsApp Web file not kept: ${reason}`);
    this.name = 'MediaRefusedError';
  }
}

/** The file checked and decoded: a message's media as it will be kept. Throws MediaRefusedError. */
export function decodeMedia(kind: MessageKind, media: WebMediaLike, maxBytes = MAX_MEDIA_BYTES): { data: Buffer; mimeType: string; fileName: string } {
  if (typeof media.data !== 'string' || media.data === '') throw new MediaRefusedError('the download was empty');
  if (decodedSize(media.data) > maxBytes || (typeof media.filesize === 'number' && media.filesize > maxBytes)) {
    throw new MediaRefusedError(`larger than ${maxBytes} bytes`);
  }
  const data = Buffer.from(media.data, 'base64');
  if (data.length === 0) throw new MediaRefusedError('the download was empty');
  const mimeType = typeof media.mimetype === 'string' && media.mimetype.length <= 255 ? media.mimetype : 'application/octet-stream';
  return { data, mimeType, fileName: mediaFileName(kind, media) };
}

/**
 * Keeps a downloaded file in Redis for a day under `ref`. whatsapp-web.js can download a file
 * only inside the browser that holds the number, so the gateway fetches it at arrival and the
 * workers (transcription, advisors) read it from here, whichever replica they run on.
 */
export async function stashMedia(redis: Redis, keyPrefix: string, ref: string, file: { data: Buffer; mimeType: string; fileName: string }): Promise<void> {
  const key = waWebKeys(keyPrefix).media(ref);
  await redis.multi().hset(key, { data: file.data, mimeType: file.mimeType, fileName: file.fileName }).expire(key, DAY_SECONDS).exec();
}

/** Reads back a file the gateway kept at arrival (see stashMedia). */
export class WhatsAppWebMediaFetcher implements MediaFetcher {
  readonly channel = 'whatsapp';

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async fetch(ref: string): Promise<{ data: Uint8Array; fileName: string }> {
    if (!REF.test(ref)) throw new LotseError('MEDIA_FETCH_FAILED', 'not a WhatsApp Web media reference');
    const stored = await this.redis.hgetallBuffer(waWebKeys(this.keyPrefix).media(ref));
    if (!stored.data) {
      throw new LotseError('MEDIA_FETCH_FAILED', 'the WhatsApp Web file is no longer kept (files are kept one day after they arrive, or it could not be downloaded)', {
        hint: 'ask the person to send it again',
      });
    }
    return { data: stored.data, fileName: stored.fileName?.toString('utf8') || 'file.bin' };
  }
}
