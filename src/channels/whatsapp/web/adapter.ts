import type { Redis } from 'ioredis';
import QRCode from 'qrcode';
import type { InboundSink } from '../../../core/channel.js';
import { QueueUnavailableError } from '../../../core/errors.js';
import type { InboundMessage, MessageKind } from '../../../core/message.js';
import type { Logger } from '../../../infra/logger.js';
import type { GatewayChannel } from '../../gateway-channel.js';
import type { LinkStatus } from '../../registry.js';
import type { WhatsAppWebSettings } from '../config.js';
import { createWebClient, type WebClientFactory, type WebClientLike, type WebMessageLike } from './client.js';
import { ClientLock } from './client-lock.js';
import { applyChoice, MEDIA_KINDS, messageRef, toInboundMessage } from './inbound.js';
import { DAY_SECONDS, waWebKeys } from './keys.js';
import { decodeMedia, stashMedia } from './media.js';
import { reportable, safeReason, SendRelay, WebClientNotReadyError, WhatsAppWebSender } from './outbound.js';
import { pause, within } from './timing.js';

export interface WhatsAppWebChannelDeps {
  sink: InboundSink;
  /** The shared command connection. */
  redis: Redis;
  /** A connection of the channel's own (the relay's and the sender's blocking waits). */
  connect(): Redis;
  keyPrefix: string;
  logger: Logger;
  /** A problem worth a log line; `what` says what was being done. Errors carry no number or text. */
  onError(error: unknown, what: string): void;
  /** Makes the client (default: whatsapp-web.js with the system Chromium); tests give a fake. */
  clientFactory?: WebClientFactory;
  /** The client lock's lifetime (default 30 s): how soon a replica replaces a crashed holder. */
  lockTtlMs?: number;
  /** The wait before the `attempt`-th reconnect (0-based; default 2 s doubling, at most 5 min). */
  reconnectMs?: (attempt: number) => number;
  /** Where the linking QR code is drawn (default the process's stdout). */
  terminal?: (text: string) => void;
}

/** Why a client's run ended. */
type SessionEnd = 'disconnected' | 'lost' | 'stopped';

/** A file's download inside the browser; a slow one must not hold up the person's later messages for ever. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

const defaultReconnect = (attempt: number) => Math.min(300_000, 2_000 * 2 ** Math.min(attempt, 20));

/** A WhatsApp Web state or reason ('CONFLICT', 'LOGOUT', …) as it may be logged: short, no digits or addresses. */
function reasonOf(reason: unknown): string {
  const text = safeReason(typeof reason === 'string' ? reason : reason === undefined ? 'no reason given' : String(reason));
  return text.replace(/[^\w .:<>'-]/g, '').slice(0, 80) || 'no reason given';
}

/**
 * WhatsApp through whatsapp-web.js: a phone number linked like WhatsApp Web on a computer, driven
 * in a headless Chromium. One replica at a time holds the client (a Redis lock); the others stand
 * by, take over when the holder stops or dies, and send through the holder meanwhile (SendRelay).
 * Linking needs a person: the QR code is printed to the terminal and shown on the admin page.
 * A dropped connection or failed login is retried with backoff while the process runs.
 */
export class WhatsAppWebChannel implements GatewayChannel {
  readonly name = 'whatsapp';
  readonly sender: WhatsAppWebSender;
  private status: LinkStatus = { state: 'starting', since: new Date().toISOString() };
  private readonly lock: ClientLock;
  private readonly keys: ReturnType<typeof waWebKeys>;
  private readonly factory: WebClientFactory;
  private readonly reconnectMs: (attempt: number) => number;
  private readonly terminal: (text: string) => void;
  private client?: WebClientLike;
  private relay?: SendRelay;
  private running = false;
  private loop?: Promise<void>;
  private abort = new AbortController();
  /** Ends the client's current run, when one is under way. */
  private endSession?: (why: SessionEnd) => void;
  /** Each user's messages are taken in one after another, in the order they came. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly settings: WhatsAppWebSettings,
    private readonly deps: WhatsAppWebChannelDeps,
  ) {
    this.keys = waWebKeys(deps.keyPrefix);
    this.factory = deps.clientFactory ?? createWebClient;
    this.reconnectMs = deps.reconnectMs ?? defaultReconnect;
    this.terminal = deps.terminal ?? ((text) => void process.stdout.write(text));
    this.lock = new ClientLock(deps.redis, this.keys.lock, {
      ttlMs: deps.lockTtlMs,
      onLost: () => {
        this.deps.logger.warn('WhatsApp Web: the client lock was lost (another replica may take over); closing the client here');
        this.endSession?.('lost');
      },
      onError: (error) => this.report(error, 'renewing the WhatsApp Web client lock'),
    });
    this.sender = new WhatsAppWebSender(settings, { redis: deps.redis, connect: deps.connect, keyPrefix: deps.keyPrefix, direct: () => this.readyClient() });
  }

  /** The linked number's state, for the admin page. */
  link(): LinkStatus {
    return { ...this.status };
  }

  /** Returns at once: taking the lock, starting Chromium and linking go on in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run().catch((error: unknown) => this.report(error, 'running WhatsApp Web'));
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    this.endSession?.('stopped');
    await this.loop;
    await Promise.allSettled([...this.chains.values()]);
    await this.relay?.stop();
    await this.lock.release().catch((error: unknown) => this.report(error, 'releasing the WhatsApp Web client lock'));
  }

  describe(): string {
    return `WhatsApp (whatsapp-web.js): linked number, session in ${this.settings.session === 'redis' ? 'Redis' : this.settings.sessionDir}`;
  }

  /** Every problem goes out through here: whatever the library or Redis wrote, no number reaches a log. */
  private report(error: unknown, what: string): void {
    this.deps.onError(reportable(error), what);
  }

  private setState(state: LinkStatus['state'], qr?: string): void {
    const since = state === this.status.state ? this.status.since : new Date().toISOString();
    this.status = { state, ...(qr ? { qr } : {}), since };
  }

  private readyClient(): WebClientLike | undefined {
    return this.status.state === 'ready' ? this.client : undefined;
  }

  /** Take the lock (or stand by), run a client until it ends, reconnect after a backoff; until stop(). */
  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let held = false;
      try {
        held = await this.lock.acquire();
      } catch (error) {
        this.report(error, 'taking the WhatsApp Web client lock');
      }
      if (!held) {
        this.setState('standby');
        await pause(this.lock.ttlMs / 2, this.abort.signal);
        continue;
      }
      // stop() came while the lock was being taken: no Chromium for nothing (stop() releases the lock).
      if (!this.running) break;
      const { end, ready } = await this.session();
      if (ready) failures = 0;
      if (end !== 'disconnected' || !this.running) continue;
      const wait = this.reconnectMs(failures++);
      this.deps.logger.info({ inSeconds: Math.round(wait / 1000) }, 'WhatsApp Web: reconnecting after a pause');
      await pause(wait, this.abort.signal);
    }
  }

  /** One client from creation to its end (a disconnect, the lock lost, stop()). */
  private async session(): Promise<{ end: SessionEnd; ready: boolean }> {
    let ready = false;
    let client: WebClientLike;
    try {
      client = await this.factory(this.settings, { redis: this.deps.redis, keyPrefix: this.deps.keyPrefix });
    } catch (error) {
      this.report(error, 'creating the WhatsApp Web client');
      this.deps.logger.warn('WhatsApp Web: the client could not be created');
      this.setState('disconnected');
      return { end: 'disconnected', ready };
    }
    if (!this.running || !this.lock.held) {
      await this.close(client);
      return { end: this.running ? 'lost' : 'stopped', ready };
    }
    let over = false;
    let finish!: (why: SessionEnd) => void;
    const ended = new Promise<SessionEnd>((resolve) => {
      finish = (why) => {
        if (over) return;
        over = true;
        resolve(why);
      };
    });
    this.client = client;
    this.endSession = finish;
    this.setState('starting');
    const live = () => !over && this.client === client;
    client.on('qr', (qr) => {
      if (!live() || typeof qr !== 'string' || qr === '') return;
      this.setState('qr', qr);
      void this.showQr(qr);
    });
    client.on('authenticated', () => {
      if (live()) this.deps.logger.info('WhatsApp Web: authenticated, loading chats');
    });
    client.on('ready', () => {
      if (!live()) return;
      ready = true;
      this.setState('ready');
      this.startRelay();
      this.deps.logger.info('WhatsApp Web linked and ready');
    });
    client.on('message', (message) => {
      if (live()) this.receive(message);
    });
    client.on('change_state', (state) => {
      if (live()) this.deps.logger.debug({ state: reasonOf(state) }, 'WhatsApp Web: connection state');
    });
    client.on('disconnected', (reason) => {
      if (!live()) return;
      this.deps.logger.warn({ reason: reasonOf(reason) }, `WhatsApp Web disconnected (${reasonOf(reason)})`);
      finish('disconnected');
    });
    client.on('auth_failure', (message) => {
      if (!live()) return;
      this.deps.logger.warn({ reason: reasonOf(message) }, 'WhatsApp Web: authentication failed; the number may have to be linked again (scan the new code)');
      finish('disconnected');
    });
    Promise.resolve()
      .then(() => client.initialize())
      .catch((error: unknown) => {
        if (!live()) return;
        // Chromium missing or crashed, web.whatsapp.com unreachable, WhatsApp Web changed under the library.
        this.deps.logger.warn({ reason: safeReason(error), chromium: this.settings.chromiumPath }, 'WhatsApp Web could not start');
        finish('disconnected');
      });

    const end = await ended;
    this.endSession = undefined;
    this.client = undefined;
    this.setState(end === 'lost' ? 'standby' : 'disconnected');
    await this.relay?.stop();
    await this.close(client);
    return { end, ready };
  }

  private async close(client: WebClientLike): Promise<void> {
    try {
      await within(Promise.resolve().then(() => client.destroy()), 30_000, () => new Error('closing the client took longer than 30 s'));
    } catch (error) {
      this.report(new Error(`closing WhatsApp Web failed: ${safeReason(error)}`), 'closing WhatsApp Web');
    }
    client.removeAllListeners?.();
  }

  private async showQr(qr: string): Promise<void> {
    this.deps.logger.info('WhatsApp Web: scan this code in WhatsApp > Linked devices');
    try {
      this.terminal(await QRCode.toString(qr, { type: 'terminal', small: true }));
    } catch (error) {
      this.report(new Error(`drawing the QR code failed: ${safeReason(error)}`), 'drawing the WhatsApp Web QR code');
    }
  }

  private startRelay(): void {
    this.relay ??= new SendRelay({
      connection: this.deps.connect(),
      redis: this.deps.redis,
      keyPrefix: this.deps.keyPrefix,
      send: async (chatId, text) => {
        const client = this.readyClient();
        if (!client) throw new WebClientNotReadyError();
        await client.sendMessage(chatId, text);
      },
      onError: (error, what) => this.report(error, what),
    });
    this.relay.start();
  }

  /** Queues the message behind the same person's earlier ones. Never throws. */
  private receive(raw: WebMessageLike): void {
    let message: InboundMessage | undefined;
    try {
      message = toInboundMessage(raw);
    } catch (error) {
      this.report(new Error(`reading a message failed: ${safeReason(error)}`), 'reading a WhatsApp Web message');
      return;
    }
    if (!message) return;
    const taken = message;
    const user = taken.userId;
    const next = (this.chains.get(user) ?? Promise.resolve())
      .then(() => this.take(raw, taken))
      .catch((error: unknown) => this.report(error, 'taking a WhatsApp Web message in'));
    this.chains.set(user, next);
    void next.finally(() => {
      if (this.chains.get(user) === next) this.chains.delete(user);
    });
  }

  /**
   * Into the queue, once: whatsapp-web.js emits messages again after a reconnect, so the message is
   * marked seen first (a day); its file is downloaded now, while the browser holds it; then the
   * queue takes it, retried while Redis is down. A message that could not be taken in (the process
   * stopped) loses its mark, so that WhatsApp's redelivery at the next start is taken.
   */
  private async take(raw: WebMessageLike, message: InboundMessage): Promise<void> {
    const ref = messageRef(message);
    const seen = this.keys.seen(ref);
    const first = await this.retrying('marking a WhatsApp Web message as seen', () => this.redisStep(async () => (await this.deps.redis.set(seen, '1', 'EX', DAY_SECONDS, 'NX')) === 'OK'));
    if (first !== true) return;
    const file = MEDIA_KINDS.has(message.kind) && raw.hasMedia ? await this.download(raw, message.kind) : undefined;
    let stashed = false;
    const queued = await this.retrying('queueing a WhatsApp Web message', async () => {
      if (file && !stashed) {
        await this.redisStep(() => stashMedia(this.deps.redis, this.deps.keyPrefix, ref, file));
        stashed = true;
      }
      const chosen = await this.redisStep(() => applyChoice(this.deps.redis, this.deps.keyPrefix, message));
      await this.deps.sink.accept(stashed && file ? { ...chosen, media: { ref, mimeType: file.mimeType } } : chosen);
      return true;
    });
    if (queued !== true) await this.deps.redis.del(seen).catch(() => undefined);
  }

  /** The message's file, checked and decoded; undefined (the message goes on without it) when it cannot be had. */
  private async download(raw: WebMessageLike, kind: MessageKind): Promise<ReturnType<typeof decodeMedia> | undefined> {
    try {
      const media = await within(Promise.resolve().then(() => raw.downloadMedia()), DOWNLOAD_TIMEOUT_MS, () => new Error(`the download took longer than ${DOWNLOAD_TIMEOUT_MS / 1000} s`));
      if (!media) throw new Error('WhatsApp Web could not give the file (expired or not available)');
      return decodeMedia(kind, media);
    } catch (error) {
      this.report(new Error(`a ${kind} file was not kept: ${safeReason(error)}`), 'downloading a WhatsApp Web file');
      return undefined;
    }
  }

  /** Redis trouble in the channel's own steps counts as the queue being down: retried, never dropped. */
  private async redisStep<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (cause) {
      throw new QueueUnavailableError({ cause });
    }
  }

  /**
   * Runs `step` until it succeeds: for ever while the queue is down (and the channel runs), a few
   * times for any other error (a bug retrying will not mend). Undefined when it gave up or stopped.
   */
  private async retrying<T>(what: string, step: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; this.running; attempt++) {
      try {
        return await step();
      } catch (error) {
        this.report(error, what);
        if (!(error instanceof QueueUnavailableError) && attempt >= 4) return undefined;
        await pause(Math.min(30_000, 500 * 2 ** attempt), this.abort.signal);
      }
    }
    return undefined;
  }
}
