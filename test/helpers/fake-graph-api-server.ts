import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WhatsAppCloudSettings } from '../../src/channels/whatsapp/config.js';

/** One message Lotse POSTed to /{phone-number-id}/messages, with what came with it. */
export interface GraphCall {
  phoneNumberId: string;
  authorization: string | undefined;
  body: Record<string, unknown> & { to?: string; type?: string };
}

/** A Graph API error answer: `{error: {message, type, code, error_subcode, fbtrace_id}}` with this HTTP status. */
export interface GraphFailure {
  status: number;
  code: number;
  message?: string;
  subcode?: number;
  /** Response headers (e.g. retry-after). */
  headers?: Record<string, string>;
}

/**
 * A local server that speaks the parts of Meta's Graph API that Lotse uses: sending messages
 * (recorded, answered with a wamid), failing the next calls on request, and serving media (the
 * lookup by id, then the download, both behind the bearer token).
 */
export class FakeGraphApiServer {
  readonly calls: GraphCall[] = [];
  /** Answers given instead of success to the next message calls, one each, in order. */
  readonly failures: GraphFailure[] = [];
  /** Files served by media id; `chunked` leaves out the content-length (the download's size is known only at its end). */
  readonly media = new Map<string, { bytes: Buffer; mimeType: string; chunked?: boolean }>();
  /** Milliseconds every request waits before its answer (a slow Graph API). */
  delayMs = 0;
  /** Called on every accepted message call (benchmarks time them with it). */
  onCall?: (call: GraphCall) => void;
  private server?: Server;
  private nextId = 1;

  constructor(
    readonly token = 'graph-test-token',
    readonly phoneNumberId = '109876543210',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The next `count` message calls fail with this status and Graph error. */
  failNext(count: number, failure: GraphFailure): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** The messages that reached one user (their wa_id), in order. */
  messagesTo(waId: string): GraphCall['body'][] {
    return this.calls.filter((call) => call.body.to === waId).map((call) => call.body);
  }

  /** Resolves when `predicate` holds, polling every 50 ms, or rejects after `ms`. */
  async until(predicate: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; sent so far: ${JSON.stringify(this.calls.map((c) => c.body.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.destroyed ? undefined : res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (res.destroyed) return;
      const authorized = req.headers.authorization === `Bearer ${this.token}`;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const download = /^\/media-download\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && download) {
        const file = this.media.get(decodeURIComponent(download[1]!));
        if (!authorized) return reply(401, graphError(401, 190, 'Invalid OAuth access token.'));
        if (!file) return reply(404, graphError(404, 100, 'Unsupported get request.'));
        if (file.chunked) return res.writeHead(200, { 'content-type': file.mimeType }).end(file.bytes);
        return res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) }).end(file.bytes);
      }
      const mediaLookup = /^\/([A-Za-z0-9_.-]+)$/.exec(path);
      if (req.method === 'GET' && mediaLookup) {
        if (!authorized) return reply(401, graphError(401, 190, 'Invalid OAuth access token.'));
        const id = mediaLookup[1]!;
        const file = this.media.get(id);
        if (!file) return reply(400, graphError(400, 100, 'Unsupported get request.'));
        return reply(200, { messaging_product: 'whatsapp', url: `${this.url}/media-download/${encodeURIComponent(id)}`, mime_type: file.mimeType, sha256: 'x', file_size: file.bytes.length, id });
      }
      const send = /^\/([^/]+)\/messages$/.exec(path);
      if (req.method === 'POST' && send) {
        const body = await readJson(req);
        if (!authorized) return reply(401, graphError(401, 190, 'Invalid OAuth access token.'));
        if (send[1] !== this.phoneNumberId) return reply(400, graphError(400, 100, 'Unsupported post request.'));
        const failure = this.failures.shift();
        if (failure) return reply(failure.status, graphError(failure.status, failure.code, failure.message ?? 'failed', failure.subcode), failure.headers);
        const call = { phoneNumberId: send[1]!, authorization: req.headers.authorization, body };
        this.calls.push(call);
        this.onCall?.(call);
        return reply(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.out${this.nextId++}` }] });
      }
      return reply(404, graphError(404, 100, 'Unknown path'));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function graphError(status: number, code: number, message: string, subcode?: number) {
  return { error: { message, type: status === 429 ? 'OAuthException' : 'GraphMethodException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf123' } };
}

async function readJson(req: IncomingMessage): Promise<GraphCall['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphCall['body'];
  } catch {
    return {};
  }
}

/** Cloud API settings pointing at a fake server (a day's window unless the test shortens it). */
export function cloudSettings(graph: FakeGraphApiServer, extra: Partial<WhatsAppCloudSettings> = {}): WhatsAppCloudSettings {
  return {
    token: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: 'test-app-secret',
    verifyToken: 'test-verify-token',
    graphApiUrl: graph.url,
    template: { name: 'lotse_resume', language: 'en' },
    windowMs: 24 * 60 * 60 * 1000,
    warnBeforeMs: 60 * 60 * 1000,
    limits: { perSecond: 50, perChatIntervalMs: 1000 },
    ...extra,
  };
}

/** The X-Hub-Signature-256 Meta sends with a raw body. */
export function webhookSignature(payload: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(payload).digest('hex')}`;
}

/** A webhook body as Meta sends it, and its X-Hub-Signature-256 with the app secret. */
export function signedWebhook(body: unknown, appSecret: string): { payload: string; signature: string } {
  const payload = JSON.stringify(body);
  return { payload, signature: webhookSignature(payload, appSecret) };
}

type Message = Record<string, unknown>;

/** Unix seconds, as the string Meta sends. */
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** Builds webhook bodies for one business number, as Meta's "messages" webhook shapes them. */
export class WebhookBuilder {
  constructor(
    readonly phoneNumberId = '109876543210',
    /** The sending time of the messages built (tests with a clock of their own set it). */
    public now: () => number = Date.now,
  ) {}

  /** The envelope around messages and statuses. */
  body(value: { messages?: Message[]; statuses?: Message[]; phoneNumberId?: string }) {
    const from = value.messages?.[0]?.from as string | undefined;
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA-1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: value.phoneNumberId ?? this.phoneNumberId },
                ...(from ? { contacts: [{ profile: { name: 'Test User' }, wa_id: from }] } : {}),
                ...(value.messages ? { messages: value.messages } : {}),
                ...(value.statuses ? { statuses: value.statuses } : {}),
              },
            },
          ],
        },
      ],
    };
  }

  private message(from: string, type: string, content: Message, id = `wamid.${randomUUID()}`): Message {
    return { from, id, timestamp: seconds(this.now()), type, ...content };
  }

  text(from: string, body: string, id?: string): Message {
    return this.message(from, 'text', { text: { body } }, id);
  }

  /** A pressed reply button (`button`) or list row (`list`). */
  choice(from: string, choiceId: string, title = 'Choice', kind: 'button' | 'list' = 'button', id?: string): Message {
    const interactive = kind === 'button' ? { type: 'button_reply', button_reply: { id: choiceId, title } } : { type: 'list_reply', list_reply: { id: choiceId, title, description: '' } };
    return this.message(from, 'interactive', { interactive, context: { from: '15550001111', id: 'wamid.ctx' } }, id);
  }

  audio(from: string, mediaId: string, id?: string): Message {
    return this.message(from, 'audio', { audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', sha256: 'x', voice: true } }, id);
  }

  image(from: string, mediaId: string, caption?: string, id?: string): Message {
    return this.message(from, 'image', { image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x', ...(caption ? { caption } : {}) } }, id);
  }

  location(from: string, latitude: number, longitude: number, id?: string): Message {
    return this.message(from, 'location', { location: { latitude, longitude, name: 'Somewhere', address: 'Street 1' } }, id);
  }

  /** A delivery status of a message Lotse sent; `failed` with a Graph error code. */
  status(recipient: string, status: 'sent' | 'delivered' | 'read' | 'failed', errorCode?: number): Message {
    return {
      id: `wamid.out${randomUUID()}`,
      status,
      timestamp: seconds(this.now()),
      recipient_id: recipient,
      ...(errorCode ? { errors: [{ code: errorCode, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'x' } }] } : {}),
    };
  }
}
