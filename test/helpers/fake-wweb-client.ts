import { EventEmitter } from 'node:events';
import type { WebClientFactory, WebClientLike, WebMediaLike, WebMessageLike } from '../../src/channels/whatsapp/web/client.js';

/** A message as whatsapp-web.js emits it, with the fields Lotse reads; `overrides` set the rest. */
export function fakeMessage(overrides: Partial<WebMessageLike> & { media?: WebMediaLike | null } = {}): WebMessageLike {
  const { media, ...rest } = overrides;
  const from = rest.from ?? '4917612345678@c.us';
  const id = rest.id?.id ?? `3EB0${Math.random().toString(16).slice(2, 14).toUpperCase()}`;
  return {
    id: { _serialized: `false_${from}_${id}`, id, fromMe: false },
    from,
    fromMe: false,
    isStatus: false,
    broadcast: false,
    type: 'chat',
    body: '',
    timestamp: Math.floor(Date.now() / 1000),
    hasMedia: media !== undefined && media !== null,
    downloadMedia: async () => media ?? undefined,
    ...rest,
  };
}

/**
 * whatsapp-web.js's Client without Chromium: the same event names and method shapes.
 * initialize() emits 'qr' (or, when the number is already linked, 'authenticated' and 'ready');
 * link() plays the phone scanning the code; receive() and disconnect() play WhatsApp's side.
 */
export class FakeWebClient extends EventEmitter implements WebClientLike {
  initialized = false;
  destroyed = false;
  readonly sent: { chatId: string; content: string }[] = [];
  /** Makes sendMessage fail with this error. */
  failSend?: Error;
  /** Makes initialize() fail with this error (the page could not be loaded). */
  failInitialize?: Error;

  constructor(
    /** A restored session: no QR, linked at once. */
    private readonly linked = false,
    readonly qrCode = `2@fake-qr-${Math.random().toString(36).slice(2)}`,
  ) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    if (this.failInitialize) throw this.failInitialize;
    // The real client emits its events after the page has loaded, never inside initialize()'s call.
    setImmediate(() => {
      if (this.destroyed) return;
      if (this.linked) this.link();
      else this.emit('qr', this.qrCode);
    });
  }

  /** The phone scanned the code. */
  link(): void {
    this.emit('authenticated');
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  async sendMessage(chatId: string, content: string): Promise<unknown> {
    if (this.destroyed) throw new Error('Protocol error: Session closed');
    if (this.failSend) throw this.failSend;
    this.sent.push({ chatId, content });
    return { id: { _serialized: `true_${chatId}_SENT${this.sent.length}` } };
  }

  /** A message arrives; the message is returned so that a test can emit it again. */
  receive(overrides: Parameters<typeof fakeMessage>[0] = {}): WebMessageLike {
    const message = fakeMessage(overrides);
    this.emit('message', message);
    return message;
  }

  disconnect(reason = 'NAVIGATION'): void {
    this.emit('disconnected', reason);
  }
}

/** A client factory that records each client it made; `linked` says whether new clients come up already linked. */
export class FakeClientFactory {
  readonly clients: FakeWebClient[] = [];
  linked = false;
  /** Makes the next creations fail (the library cannot be loaded). */
  failCreate?: Error;
  /** Makes the next clients' initialize() fail (Chromium missing, WhatsApp Web unreachable). */
  failInitialize?: Error;

  readonly create: WebClientFactory = async () => {
    if (this.failCreate) throw this.failCreate;
    const client = new FakeWebClient(this.linked);
    client.failInitialize = this.failInitialize;
    this.clients.push(client);
    return client;
  };

  get last(): FakeWebClient | undefined {
    return this.clients.at(-1);
  }
}
