import type { Redis } from 'ioredis';
import type { WhatsAppWebSettings } from '../config.js';
import { RedisSessionStore } from './session-store.js';

/** A file as whatsapp-web.js's `downloadMedia()` gives it (its MessageMedia). */
export interface WebMediaLike {
  mimetype: string;
  /** The file, base64-encoded. */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

/**
 * The parts of a whatsapp-web.js Message that Lotse reads. `from` is the chat: `<digits>@c.us` (a
 * phone number), `<digits>@lid` (a linked id that hides the number), `…@g.us` (a group),
 * `status@broadcast`, `…@newsletter`. The library types the location's coordinates as strings and
 * gives numbers: both are read.
 */
export interface WebMessageLike {
  id: { _serialized: string; id: string; fromMe: boolean };
  from: string;
  fromMe: boolean;
  isStatus: boolean;
  broadcast: boolean;
  /** 'chat', 'ptt', 'audio', 'image', 'document', 'sticker', 'video', 'location', 'buttons_response', 'list_response', … */
  type: string;
  /** The text, or a media message's caption ('' without one). */
  body: string;
  /** Unix seconds. */
  timestamp: number;
  hasMedia: boolean;
  location?: { latitude: number | string; longitude: number | string };
  selectedButtonId?: string;
  selectedRowId?: string;
  /** undefined or null when the file cannot be had (expired, still uploading). */
  downloadMedia(): Promise<WebMediaLike | undefined | null>;
}

/** The subset of whatsapp-web.js's Client that Lotse uses; tests give a fake (test/helpers/fake-wweb-client.ts). */
export interface WebClientLike {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'authenticated', listener: () => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'message', listener: (message: WebMessageLike) => void): unknown;
  /** `reason`: a WhatsApp Web state ('CONFLICT', 'UNPAIRED', …), 'LOGOUT', or a sentence of the library's. */
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'change_state', listener: (state: string) => void): unknown;
  /** Starts Chromium and WhatsApp Web; resolves once the page is up (before linking). */
  initialize(): Promise<void>;
  /** Closes Chromium. */
  destroy(): Promise<void>;
  /** `chatId`: `<digits>@c.us` or `<digits>@lid`. */
  sendMessage(chatId: string, content: string): Promise<unknown>;
  removeAllListeners?(): unknown;
}

/** Makes a client (not initialized yet). `session` holds the zipped profile when `settings.session` is 'redis'. */
export type WebClientFactory = (settings: WhatsAppWebSettings, session: { redis: Redis; keyPrefix: string }) => Promise<WebClientLike>;

/** One linked number per Lotse: the profile directory is `session-lotse` (LocalAuth) or `RemoteAuth-lotse`. */
const CLIENT_ID = 'lotse';
/** RemoteAuth's backup of the profile to Redis: every 5 minutes (the library refuses less than 1). */
const BACKUP_EVERY_MS = 300_000;

/**
 * The real client: whatsapp-web.js driving the system Chromium, headless. The library (and with
 * it puppeteer) is imported here only, when WhatsApp Web is switched on, so that no other Lotse
 * process loads it. The flags are the usual ones for Chromium in a container: no sandbox (the
 * container is the sandbox) and no reliance on a small /dev/shm.
 */
export const createWebClient: WebClientFactory = async (settings, session) => {
  const { Client, LocalAuth, RemoteAuth } = (await import('whatsapp-web.js')).default;
  const authStrategy =
    settings.session === 'redis'
      ? new RemoteAuth({
          clientId: CLIENT_ID,
          store: new RedisSessionStore(session.redis, session.keyPrefix, settings.sessionDir),
          backupSyncIntervalMs: BACKUP_EVERY_MS,
          dataPath: settings.sessionDir,
        })
      : new LocalAuth({ clientId: CLIENT_ID, dataPath: settings.sessionDir });
  const client = new Client({
    authStrategy,
    puppeteer: { executablePath: settings.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  });
  return client;
};
