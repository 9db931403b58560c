import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { InboundSink } from '../../../core/channel.js';
import { QueueUnavailableError } from '../../../core/errors.js';
import { conversationKey, type InboundMessage, type OutboundMessage } from '../../../core/message.js';
import type { GatewayChannel } from '../../gateway-channel.js';
import type { ChannelNotice } from '../../registry.js';
import type { WhatsAppCloudSettings } from '../config.js';
import { webhookContent } from './inbound.js';
import { WhatsAppCloudSender, type HeldReply } from './outbound.js';
import { parseWebhook, WhatsAppWebhookInvalidError } from './webhook-schema.js';
import { validSignature } from './webhook-signature.js';
import type { ConversationWindow } from './window.js';

export const WHATSAPP_WEBHOOK_PATH = '/whatsapp/webhook';

export interface CloudChannelDeps {
  sink: InboundSink;
  redis: Redis;
  keyPrefix: string;
  /** Puts replies on the outbound lanes: the ones held while the user's window was closed. */
  outbox: { deliver(replies: OutboundMessage[]): Promise<void> };
  advisorNotice(conversationKey: string, notice: ChannelNotice): Promise<void>;
  /** Problems worth a log line (never with a number or a text): `what` says where. */
  onError(error: unknown, what: string): void;
  now?: () => number;
  /** How often the advisors' window warnings are looked for (default 30 s). */
  pollMs?: number;
}

/** A reply that did not reach its user, by Meta's delivery status; only the error code is kept. */
export class WhatsAppDeliveryFailedError extends Error {
  constructor(readonly graphCode: number | undefined) {
    super(`a WhatsApp message was not delivered (Graph error code ${graphCode ?? 'unknown'})`);
    this.name = 'WhatsAppDeliveryFailedError';
  }
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A held reply under an id of its own: the first id is spent in the outbound lane, which would take it for a duplicate. */
function redelivery(json: string, at: number): OutboundMessage | undefined {
  try {
    const reply = JSON.parse(json) as HeldReply;
    return { ...reply, id: `${reply.id.replace(/:held-\d+$/, '')}:held-${at}` } as OutboundMessage;
  } catch {
    return undefined;
  }
}

/**
 * WhatsApp through Meta's Cloud API: a webhook in (each body signed with the app secret, checked
 * before it is parsed), the Graph API out. A webhook is answered 200 only once its messages are in
 * the queue; otherwise Meta retries, and the message ids (wamid) keep a retry from counting twice.
 */
export class WhatsAppCloudChannel implements GatewayChannel {
  readonly name = 'whatsapp';
  readonly sender: WhatsAppCloudSender;
  private readonly window: ConversationWindow;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<unknown>;

  constructor(
    private readonly settings: WhatsAppCloudSettings,
    private readonly deps: CloudChannelDeps,
  ) {
    this.sender = new WhatsAppCloudSender(settings, deps);
    this.window = this.sender.window;
    this.now = deps.now ?? Date.now;
  }

  routes(server: FastifyInstance): void {
    // Encapsulated: the raw-body JSON parser applies to these routes only.
    void server.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.get(WHATSAPP_WEBHOOK_PATH, async (request, reply) => this.verify(request, reply));
      scope.post(WHATSAPP_WEBHOOK_PATH, async (request, reply) => this.receive(request, reply));
    });
  }

  /** Meta's subscription check: the challenge is echoed only to someone who knows the verify token. */
  private verify(request: FastifyRequest, reply: FastifyReply) {
    const query = request.query as Record<string, unknown>;
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || !sameSecret(query['hub.verify_token'], this.settings.verifyToken) || typeof challenge !== 'string' || challenge.length > 512) {
      return reply.code(403).type('text/plain').send('forbidden');
    }
    return reply.code(200).type('text/plain').send(challenge);
  }

  private async receive(request: FastifyRequest, reply: FastifyReply) {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-hub-signature-256'];
    if (!validSignature(raw, typeof signature === 'string' ? signature : undefined, this.settings.appSecret)) {
      return reply.code(401).send({ ok: false, error: 'missing or wrong signature' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.invalid(reply, 'the body is not JSON');
    }
    const parsed = parseWebhook(body, this.settings.phoneNumberId);
    if (!parsed.ok) return this.invalid(reply, parsed.reason);
    const content = webhookContent(parsed.values);
    for (const code of content.failures) this.deps.onError(new WhatsAppDeliveryFailedError(code), 'delivery status');
    try {
      for (const message of content.messages) await this.accept(message);
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) this.deps.onError(error, 'webhook');
      // Meta retries a webhook that was not answered 200; what got queued is not queued twice.
      return reply.code(503).send({ ok: false, error: 'temporarily unavailable, retry later' });
    }
    return reply.code(200).send({ ok: true });
  }

  private invalid(reply: FastifyReply, reason: string) {
    this.deps.onError(new WhatsAppWebhookInvalidError(reason), 'webhook');
    return reply.code(400).send({ ok: false, error: `not a valid WhatsApp webhook: ${reason}` });
  }

  /**
   * Opens the user's window (from the time they wrote: a late redelivery does not stretch it),
   * queues the message, then sends on what waited for them to write: their new message is
   * answered as well, after those.
   */
  private async accept(message: InboundMessage): Promise<void> {
    const now = this.now();
    await this.window.opened(message.userId, Math.min(now, Date.parse(message.receivedAt)));
    await this.deps.sink.accept(message);
    const held = await this.window.takeHeld(message.userId);
    if (held.length === 0) return;
    for (const [i, json] of held.entries()) {
      const reply = redelivery(json, now);
      if (!reply) continue;
      try {
        await this.deps.outbox.deliver([reply]);
      } catch (error) {
        // The user's message is queued: what is left waits for their next one rather than fail this webhook.
        for (const rest of held.slice(i)) await this.window.hold(message.userId, rest).catch(() => undefined);
        this.deps.onError(error, 'held replies');
        return;
      }
    }
  }

  /** Warns the advisors of the windows closing soon; each warning is taken by one gateway only. */
  async warnClosingWindows(): Promise<number> {
    const due = await this.window.takeDueWarnings(this.now());
    for (const { userId, closesAt } of due) {
      await this.deps.advisorNotice(conversationKey('whatsapp', userId), { kind: 'window_closing', closesAt: new Date(closesAt).toISOString() }).catch((error: unknown) => this.deps.onError(error, 'window warning'));
    }
    return due.length;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = this.warnClosingWindows()
        .catch((error: unknown) => this.deps.onError(error, 'window warnings'))
        .finally(() => (this.polling = undefined));
    }, this.deps.pollMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  describe(): string {
    return `WhatsApp (Cloud API): webhook at ${WHATSAPP_WEBHOOK_PATH}`;
  }
}
