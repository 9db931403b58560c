import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  chat_id: string | number;
  text: string;
  parse_mode?: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

/**
 * A local server that speaks the Telegram Bot API wire protocol (POST /bot<token>/<method>), so
 * grammY is tested through TELEGRAM_API_ROOT exactly as against a self-hosted Bot API server.
 */
export class FakeTelegramServer {
  readonly calls: { method: string; body: Record<string, unknown> }[] = [];
  readonly sent: SentMessage[] = [];
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private waiting: (() => void)[] = [];
  /** Called on every accepted sendMessage (benchmarks time replies with it). */
  onSend?: (message: SentMessage) => void;
  /** Keep sent messages in `sent` (default true; benchmarks turn it off). */
  record = true;
  /** The next this many sendMessage calls answer 429 with this retry_after. */
  rateLimit = { count: 0, retryAfter: 1 };
  /** The next this many sendMessage calls answer 502. */
  serverErrors = 0;
  /** Milliseconds a Bot API method waits before answering, by method name (a slow or hung Bot API). */
  methodDelayMs: Record<string, number> = {};
  /** Milliseconds a file download waits before its headers, and after its first bytes before the rest. */
  fileDelayMs = 0;
  fileBodyDelayMs = 0;
  /** "METHOD /path" of requests whose client closed the connection before the answer (a timeout that really aborted); the token is left out. */
  readonly abandoned: string[] = [];
  private server?: Server;

  constructor(readonly token = '123456:TEST-token') {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get botInfo() {
    return { id: 123456, is_bot: true as const, first_name: 'Lotse', username: 'lotse_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false };
  }

  /** Adds an update for getUpdates (polling) and returns it (to POST it to a webhook instead). */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown> {
    const full = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(full);
    this.waiting.splice(0).forEach((wake) => wake());
    return full;
  }

  textUpdate(chatId: number, text: string, messageId = this.nextMessageId++, languageCode = 'en') {
    return { message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Test' }, from: { id: chatId, is_bot: false, first_name: 'Test', language_code: languageCode }, text } };
  }

  callbackUpdate(chatId: number, data: string) {
    return {
      callback_query: {
        id: `cb${this.nextMessageId++}`,
        from: { id: chatId, is_bot: false, first_name: 'Test' },
        chat_instance: '1',
        data,
        message: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Test' }, text: 'x' },
      },
    };
  }

  messagesTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => String(m.chat_id) === String(chatId));
  }

  /** Resolves when `predicate` holds, polling every 50 ms, or rejects after `ms`. */
  async until(predicate: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; sent so far: ${JSON.stringify(this.sent.map((m) => m.text.slice(0, 60)))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) this.abandoned.push(`${req.method} ${(req.url ?? '').replace(this.token, '<token>')}`);
      });
      const reply = (status: number, payload: unknown) => (res.destroyed ? undefined : res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload)));
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
      if (file) {
        if (file[1] !== this.token) return reply(401, { ok: false });
        if (this.fileDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.fileDelayMs));
        if (res.destroyed) return;
        const voice = Buffer.from('OggS-fake-voice');
        if (this.fileBodyDelayMs <= 0) return res.writeHead(200, { 'content-type': 'audio/ogg' }).end(voice);
        res.writeHead(200, { 'content-type': 'audio/ogg', 'content-length': String(voice.length) }).write(voice.subarray(0, 4));
        await new Promise((resolve) => setTimeout(resolve, this.fileBodyDelayMs));
        if (!res.destroyed) res.end(voice.subarray(4));
        return;
      }
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match || match[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = match[2]!;
      const body = await readBody(req);
      this.calls.push({ method, body });
      const delay = this.methodDelayMs[method] ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (res.destroyed) return;
      switch (method) {
        case 'getMe':
          return reply(200, { ok: true, result: this.botInfo });
        case 'getUpdates': {
          const offset = Number(body.offset ?? 0);
          const pending = () => this.updates.filter((u) => (u.update_id as number) >= offset);
          if (pending().length === 0) {
            const wait = Math.min(Number(body.timeout ?? 0), 1) * 1000;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, wait);
              this.waiting.push(() => (clearTimeout(timer), resolve()));
            });
          }
          this.updates = pending();
          return reply(200, { ok: true, result: this.updates.slice(0, Number(body.limit ?? 100)) });
        }
        case 'sendMessage': {
          if (this.serverErrors > 0) {
            this.serverErrors -= 1;
            return reply(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
          }
          if (this.rateLimit.count > 0) {
            this.rateLimit.count -= 1;
            return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${this.rateLimit.retryAfter}`, parameters: { retry_after: this.rateLimit.retryAfter } });
          }
          if (this.record) this.sent.push(body as unknown as SentMessage);
          this.onSend?.(body as unknown as SentMessage);
          return reply(200, { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } });
        }
        case 'getFile':
          return reply(200, { ok: true, result: { file_id: body.file_id, file_unique_id: 'u', file_size: 4, file_path: `voice/${String(body.file_id)}.oga` } });
        case 'sendChatAction':
        case 'setWebhook':
        case 'deleteWebhook':
        case 'answerCallbackQuery':
          return reply(200, { ok: true, result: true });
        default:
          return reply(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.waiting.splice(0).forEach((wake) => wake());
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams);
  return (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
}
