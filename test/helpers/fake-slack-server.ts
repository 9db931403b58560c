import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackSignature } from '../../src/handoff/advisors/slack/signature.js';

/** A message as the fake workspace holds it: as posted, then as last updated. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: Record<string, unknown>[];
  thread_ts?: string;
  reply_broadcast?: boolean;
}

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
}

/** A failure the next call of a method gets: a platform error code, an HTTP status, or a 429 with retry-after. */
export type InjectedFailure = { error: string } | { status: number } | { rateLimited: number };

/** Form fields the Web API client sends JSON-encoded. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

/**
 * A local server that speaks the Slack Web API wire protocol (POST /api/<method>, form or JSON
 * bodies, bearer token), so the Web API client is tested through SLACK_API_URL exactly as against
 * slack.com: auth.test, chat.postMessage (answers a ts), chat.update, chat.postEphemeral,
 * chat.getPermalink and conversations.info. It records every call and keeps the channel's
 * messages; `signedPost` plays Slack's side of events and interactions, signed with the secret.
 */
export class FakeSlackServer {
  readonly calls: SlackCall[] = [];
  /** Called on every Web API call as it arrives (benchmarks time posts with it). */
  onCall?: (method: string, args: Record<string, unknown>) => void;
  /** Every message posted, by `${channel}:${ts}`, as last updated. */
  readonly messages = new Map<string, SlackMessage>();
  readonly ephemerals: { channel: string; user: string; text: string; thread_ts?: string }[] = [];
  readonly botUserId = 'UBOT';
  readonly botId = 'BBOT';
  readonly teamId = 'T0LOTSE';
  private readonly failures = new Map<string, InjectedFailure[]>();
  private clock = 1_700_000_000;
  private counter = 0;
  private server?: Server;

  constructor(readonly token = 'xoxb-test-token') {}

  /** The Web API base, as SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
  }

  /** The next call of `method` fails this way (several calls queue several failures). */
  failNext(method: string, failure: InjectedFailure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Top-level messages in a channel, oldest first. */
  channelMessages(channel: string): SlackMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && (!m.thread_ts || m.reply_broadcast));
  }

  /** A thread's replies, oldest first. */
  threadReplies(channel: string, threadTs: string): SlackMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.thread_ts === threadTs);
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.get(`${channel}:${ts}`);
  }

  /** Resolves when `predicate` holds, polling every 20 ms, or rejects after `ms`. */
  async until(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls so far: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private nextTs(): string {
    this.counter += 1;
    return `${this.clock + this.counter}.${String(this.counter).padStart(6, '0')}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      const match = /^\/api\/([\w.]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return reply(404, { ok: false, error: 'unknown_method' });
      const method = match[1]!;
      const args = await readArgs(req);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
      this.calls.push({ method, args, token });
      this.onCall?.(method, args);
      if (token !== this.token) return reply(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      const failure = this.failures.get(method)?.shift();
      if (failure) {
        if ('rateLimited' in failure) return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.rateLimited) });
        if ('status' in failure) return reply(failure.status, { ok: false, error: 'fatal_error' });
        return reply(200, { ok: false, error: failure.error });
      }
      return reply(200, this.answer(method, args));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://lotse-test.slack.com/', team: 'Lotse Test', user: 'lotse', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!args.text && !args.blocks) return { ok: false, error: 'no_text' };
        const ts = this.nextTs();
        const message: SlackMessage = { channel, ts, text: args.text as string | undefined, blocks: args.blocks as SlackMessage['blocks'], thread_ts: args.thread_ts as string | undefined, reply_broadcast: args.reply_broadcast === true || args.reply_broadcast === 'true' };
        this.messages.set(`${channel}:${ts}`, message);
        return { ok: true, channel, ts, message: { type: 'message', text: message.text, bot_id: this.botId, ts } };
      }
      case 'chat.update': {
        const key = `${channel}:${String(args.ts)}`;
        const message = this.messages.get(key);
        if (!message) return { ok: false, error: 'message_not_found' };
        this.messages.set(key, { ...message, text: args.text as string | undefined, blocks: args.blocks as SlackMessage['blocks'] });
        return { ok: true, channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        this.ephemerals.push({ channel, user: String(args.user), text: String(args.text ?? ''), thread_ts: args.thread_ts as string | undefined });
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel, permalink: `https://lotse-test.slack.com/archives/${channel}/p${String(args.message_ts).replace('.', '')}` };
      case 'conversations.info':
        return { ok: true, channel: { id: channel, name: channel.toLowerCase(), is_channel: true, is_member: true } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  // Slack's side: signed requests to Lotse, and the payloads Slack sends.

  /**
   * POSTs to Lotse as Slack does: an object as JSON (Events API), a string as a form (interactions:
   * `payload=…`), signed with `secret` at `timestamp` (Unix seconds; default now).
   */
  static async signedPost(url: string, body: string | Record<string, unknown>, options: { secret: string; timestamp?: number; signature?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, raw),
        ...options.headers,
      },
      body: raw,
    });
    return { status: response.status, body: await response.text() };
  }

  /** An Events API callback around `event`, with a stable event id (Slack resends with the same one). */
  eventCallback(event: Record<string, unknown>, eventId = `Ev${this.nextTs().replace('.', '')}`): Record<string, unknown> {
    return { token: 'verification-token', team_id: this.teamId, api_app_id: 'A0LOTSE', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), authorizations: [{ team_id: this.teamId, user_id: this.botUserId, is_bot: true }], event };
  }

  /** A message event: an advisor's reply in a thread when `thread_ts` is given. */
  messageEvent(message: { channel: string; user: string; text: string; ts?: string; thread_ts?: string; subtype?: string; bot_id?: string }): Record<string, unknown> {
    const ts = message.ts ?? this.nextTs();
    return { type: 'message', channel_type: 'channel', ...message, ts, event_ts: ts };
  }

  /** A block_actions interaction as a form body: a button (value) or a static select (selected value) in a case message. */
  blockAction(action: { actionId: string; user: { id: string; name: string }; channel: string; messageTs: string; blockId?: string; value?: string; selected?: string }): string {
    const element = action.selected !== undefined
      ? { type: 'static_select', action_id: action.actionId, block_id: action.blockId, selected_option: { text: { type: 'plain_text', text: action.selected }, value: action.selected }, action_ts: this.nextTs() }
      : { type: 'button', action_id: action.actionId, block_id: action.blockId, value: action.value, text: { type: 'plain_text', text: 'x' }, action_ts: this.nextTs() };
    const payload = {
      type: 'block_actions',
      team: { id: this.teamId, domain: 'lotse-test' },
      user: { id: action.user.id, username: action.user.name, name: action.user.name, team_id: this.teamId },
      api_app_id: 'A0LOTSE',
      token: 'verification-token',
      container: { type: 'message', message_ts: action.messageTs, channel_id: action.channel, is_ephemeral: false },
      trigger_id: '1.2.3',
      channel: { id: action.channel, name: action.channel.toLowerCase() },
      message: { type: 'message', ts: action.messageTs, bot_id: this.botId, text: 'case' },
      response_url: 'http://127.0.0.1:9/unused',
      actions: [element],
    };
    return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
}

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('json')) return JSON.parse(text) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return args;
}
