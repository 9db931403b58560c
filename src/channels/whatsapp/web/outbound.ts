import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelSender, SendLimits } from '../../../core/channel.js';
import { PermanentSendError, QueueUnavailableError, RetryableSendError } from '../../../core/errors.js';
import type { Language } from '../../../core/knowledge.js';
import type { OutboundMessage } from '../../../core/message.js';
import { Messages } from '../../../i18n/i18n.js';
import { I18nTranslator } from '../../../i18n/translator.js';
import type { WhatsAppWebSettings } from '../config.js';
import { WHATSAPP_TEXT_LIMIT, whatsappParts } from '../render.js';
import type { WebClientLike } from './client.js';
import { chatOfUser } from './inbound.js';
import { DAY_SECONDS, waWebKeys } from './keys.js';
import { pause, within } from './timing.js';

/** The words the sender needs: the line above numbered choices. */
export interface ChoiceWords {
  t(language: Language, key: string): string;
}

/** The outbox lives this long after its last request: requests nobody took do not stay in Redis. */
const OUTBOX_TTL_MS = 120_000;
/** The holder's answer waits this long for the sender that asked (it stopped waiting after its own timeout). */
const ANSWER_TTL_SECONDS = 60;
/** Extra wait past the timeout before a relay connection that gave no answer at all is given up on (Redis unreachable). */
const STUCK_GRACE_MS = 2_000;

export const NOT_READY = 'WhatsApp Web client not ready';

/** This process holds no linked client, or it is not linked yet: the send is retried later. */
export class WebClientNotReadyError extends Error {
  constructor() {
    super(NOT_READY);
    this.name = 'WebClientNotReadyError';
  }
}

/** One send for the replica that holds the client (see SendRelay). */
export interface SendRequest {
  id: string;
  chatId: string;
  text: string;
  /** Epoch ms; the holder does not start the send after it (the sender has stopped waiting soon after). */
  deadline: number;
}

/**
 * An error's gist, fit for a log line or an error message: whatsapp-web.js and puppeteer may put a
 * chat id (a phone number) into theirs, so digits and addresses are masked, and the text is short.
 */
export function safeReason(error: unknown): string {
  return maskPersonal(error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : 'unknown error');
}

function maskPersonal(text: string): string {
  return text
    .replace(/\S+@(?:c\.us|lid|g\.us|s\.whatsapp\.net|broadcast|newsletter)\b/g, '<chat>')
    .replace(/\+?\d[\d\s-]{4,}\d/g, '<number>')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

/** An error as it may be reported: its name and code kept, its message masked (see safeReason); the queue's own error as it is. */
export function reportable(error: unknown): unknown {
  if (error instanceof QueueUnavailableError) return error;
  const original = error as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  const safe = new Error(maskPersonal(typeof original?.message === 'string' ? original.message : String(error)));
  safe.name = typeof original?.name === 'string' ? original.name : 'Error';
  if (typeof original?.code === 'string') Object.assign(safe, { code: original.code });
  return safe;
}

/**
 * A reply as WhatsApp Web messages. WhatsApp Web shows no buttons (the business API's interactive
 * messages need the Cloud API), so buttons become numbered lines under the last part, after a line
 * in the reply's language saying to answer with a number; `actions` are what the numbers stand for.
 */
export function webReplyParts(reply: OutboundMessage, words: ChoiceWords): { parts: string[]; actions: string[] } {
  const parts = whatsappParts(reply);
  const buttons = (reply.buttons ?? []).slice(0, 99);
  if (buttons.length === 0) return { parts, actions: [] };
  const lines = buttons.map((button, index) => `${index + 1}. ${button.label.replace(/\s+/g, ' ').trim()}`);
  const block = [words.t(reply.language, 'whatsapp.chooseByNumber'), ...lines].join('\n');
  const last = parts.at(-1);
  if (last !== undefined && last.length + 2 + block.length <= WHATSAPP_TEXT_LIMIT) parts[parts.length - 1] = `${last}\n\n${block}`;
  else parts.push(block);
  return { parts, actions: buttons.map((button) => button.action) };
}

export interface WhatsAppWebSenderDeps {
  /** Commands: the relay's outbox, the offered choices. */
  redis: Redis;
  /** A connection of the sender's own for waiting on the holder's answer (BLPOP blocks it). */
  connect(): Redis;
  keyPrefix: string;
  /** The linked client when this process holds it and it is ready; otherwise sends go through Redis. */
  direct?: () => WebClientLike | undefined;
  /** How long a relayed send waits for the holder's answer (default 20 s). */
  timeoutMs?: number;
  /** Lotse's words (default: read from src/i18n/locales). */
  words?: ChoiceWords;
}

/**
 * Sends replies through the linked number. Only one replica drives the client (client-lock.ts):
 * that process sends directly; any other process puts the send into a Redis list and waits for the
 * holder's answer (SendRelay). No answer in time, or no client linked: a plain error, so that the
 * outbound worker tries again later; the request is taken back out of the list first when the
 * holder never took it, so it cannot go out late as well.
 */
export class WhatsAppWebSender implements ChannelSender {
  readonly channel = 'whatsapp';
  readonly limits: SendLimits;
  private readonly timeoutMs: number;
  private readonly words: ChoiceWords;
  private readonly keys: ReturnType<typeof waWebKeys>;
  /**
   * Connections for waiting on answers: BLPOP holds a connection for its whole wait, and the
   * outbound worker sends to several chats at once; each connection is made once and reused.
   */
  private readonly idle: Redis[] = [];

  constructor(
    settings: WhatsAppWebSettings,
    private readonly deps: WhatsAppWebSenderDeps,
  ) {
    this.limits = settings.limits;
    this.timeoutMs = deps.timeoutMs ?? 20_000;
    this.words = deps.words ?? new I18nTranslator(Messages.create());
    this.keys = waWebKeys(deps.keyPrefix);
  }

  partCount(reply: OutboundMessage): number {
    return webReplyParts(reply, this.words).parts.length;
  }

  async send(reply: OutboundMessage, part: number): Promise<void> {
    const chatId = chatOfUser(reply.userId);
    if (!chatId) throw new PermanentSendError('not a WhatsApp Web user id');
    const { parts, actions } = webReplyParts(reply, this.words);
    const text = parts[part];
    if (text === undefined) return;
    // Kept before the send: the person may answer with a number as soon as it arrives.
    if (actions.length > 0 && part === parts.length - 1) {
      await this.deps.redis.set(this.keys.options(reply.userId), JSON.stringify(actions), 'EX', DAY_SECONDS);
    }
    const client = this.deps.direct?.();
    if (!client) return this.relay(chatId, text);
    let timedOut = false;
    try {
      await within(client.sendMessage(chatId, text), this.timeoutMs, () => {
        timedOut = true;
        return new RetryableSendError('WhatsApp Web send unconfirmed: the client did not answer in time', 'timeout');
      });
    } catch (error) {
      if (timedOut) throw error;
      throw new RetryableSendError(`WhatsApp Web send failed: ${safeReason(error)}`, 'other');
    }
  }

  /** Asks the replica that holds the client to send, and waits for its answer. */
  private async relay(chatId: string, text: string): Promise<void> {
    const id = randomUUID();
    // Half the wait to start the send, half for the send itself.
    const request = JSON.stringify({ id, chatId, text, deadline: Date.now() + Math.floor(this.timeoutMs / 2) } satisfies SendRequest);
    try {
      await this.deps.redis.multi().rpush(this.keys.outbox, request).pexpire(this.keys.outbox, Math.max(OUTBOX_TTL_MS, this.timeoutMs * 3)).exec();
    } catch (error) {
      throw new RetryableSendError(`${NOT_READY}: Redis unreachable (${safeReason(error)})`, 'not_ready');
    }
    const answer = await this.awaitAnswer(id);
    if (answer === undefined) {
      const withdrawn = await this.deps.redis.lrem(this.keys.outbox, 1, request).catch(() => 0);
      if (withdrawn > 0) throw new RetryableSendError(NOT_READY, 'not_ready');
      throw new RetryableSendError('WhatsApp Web send unconfirmed: the linked client took it but did not answer in time', 'timeout');
    }
    if (answer === 'ok') return;
    if (answer === 'not-ready' || answer === 'expired') throw new RetryableSendError(NOT_READY, 'not_ready');
    throw new RetryableSendError(`WhatsApp Web send failed: ${answer.replace(/^failed:\s*/, '').slice(0, 200)}`, 'other');
  }

  /** The holder's answer, or undefined when none came within the timeout. */
  private async awaitAnswer(id: string): Promise<string | undefined> {
    const connection = this.idle.pop() ?? this.deps.connect();
    let reusable = true;
    try {
      const popped = await within(connection.blpop(this.keys.sent(id), this.timeoutMs / 1000), this.timeoutMs + STUCK_GRACE_MS, () => {
        // Redis did not answer at all: the connection's wait may still be pending, so it is not used again.
        reusable = false;
        connection.disconnect();
        return new Error(NOT_READY);
      });
      return popped?.[1];
    } catch {
      return undefined;
    } finally {
      if (reusable) this.idle.push(connection);
    }
  }
}

export interface SendRelayDeps {
  /** The relay's own connection: BLPOP blocks it. */
  connection: Redis;
  /** Commands: answers, a request given back. */
  redis: Redis;
  keyPrefix: string;
  /** Sends with the linked client; throws WebClientNotReadyError when it is not ready. */
  send(chatId: string, text: string): Promise<void>;
  onError(error: unknown, what: string): void;
  /** How long one BLPOP waits, in seconds (default 5); stop() unblocks a waiting one at once. */
  pollSeconds?: number;
  /** A send that has not finished after this long is answered as failed (default 15 s), so one stuck send does not hold the rest. */
  sendTimeoutMs?: number;
}

function parseRequest(raw: string): SendRequest | undefined {
  try {
    const value = JSON.parse(raw) as Partial<SendRequest>;
    if (typeof value.id !== 'string' || !/^[\w-]{1,64}$/.test(value.id)) return undefined;
    if (typeof value.chatId !== 'string' || typeof value.text !== 'string' || typeof value.deadline !== 'number') return undefined;
    return value as SendRequest;
  } catch {
    return undefined;
  }
}

/**
 * Run by the replica that holds the linked client: takes the other replicas' sends from the Redis
 * list one at a time, sends each that is not past its deadline, and answers `ok`, `expired`,
 * `not-ready` or `failed: <reason>` on the request's own key (kept a minute). A request taken
 * while stopping is put back at the head of the list for the next holder.
 */
export class SendRelay {
  private running = false;
  private generation = 0;
  private loop?: Promise<void>;
  /** The relay connection's Redis client id, for CLIENT UNBLOCK; read again after a reconnect. */
  private connectionId?: number;
  private readonly keys: ReturnType<typeof waWebKeys>;

  constructor(private readonly deps: SendRelayDeps) {
    this.keys = waWebKeys(deps.keyPrefix);
    deps.connection.on('ready', () => (this.connectionId = undefined));
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    const previous = this.loop ?? Promise.resolve();
    this.loop = previous.then(() => this.run(generation));
  }

  /** Stops taking requests; resolves once the one in hand (if any) is answered. */
  async stop(): Promise<void> {
    this.running = false;
    // A waiting BLPOP returns at once (as if it had timed out) instead of holding stop() up for its poll.
    if (this.connectionId !== undefined) await this.deps.redis.client('UNBLOCK', this.connectionId).catch(() => undefined);
    await this.loop;
  }

  private live(generation: number): boolean {
    return this.running && this.generation === generation;
  }

  private async run(generation: number): Promise<void> {
    const pollSeconds = this.deps.pollSeconds ?? 5;
    while (this.live(generation)) {
      let popped: [string, string] | null;
      try {
        this.connectionId ??= Number(await this.deps.connection.client('ID'));
        if (!this.live(generation)) return;
        popped = await this.deps.connection.blpop(this.keys.outbox, pollSeconds);
      } catch (error) {
        // Stopping while Lotse closes its connections is no error.
        if (!this.live(generation)) return;
        this.connectionId = undefined;
        this.deps.onError(error, 'relay: reading the outbox');
        await pause(1_000);
        continue;
      }
      if (!popped) continue;
      if (!this.live(generation)) {
        await this.deps.redis.lpush(this.keys.outbox, popped[1]).catch((error: unknown) => this.deps.onError(error, 'relay: giving a request back'));
        return;
      }
      await this.handle(popped[1]);
    }
  }

  private async handle(raw: string): Promise<void> {
    const request = parseRequest(raw);
    if (!request) {
      this.deps.onError(new Error('malformed relay request skipped'), 'relay');
      return;
    }
    let answer: string;
    if (Date.now() > request.deadline) {
      answer = 'expired';
    } else {
      try {
        await within(this.deps.send(request.chatId, request.text), this.deps.sendTimeoutMs ?? 15_000, () => new Error('the send did not finish in time'));
        answer = 'ok';
      } catch (error) {
        if (error instanceof WebClientNotReadyError) answer = 'not-ready';
        else {
          answer = `failed: ${safeReason(error)}`;
          this.deps.onError(new Error(`relayed send failed: ${safeReason(error)}`), 'relay');
        }
      }
    }
    const key = this.keys.sent(request.id);
    await this.deps.redis
      .multi()
      .lpush(key, answer)
      .expire(key, ANSWER_TTL_SECONDS)
      .exec()
      .catch((error: unknown) => this.deps.onError(error, 'relay: answering'));
  }
}
