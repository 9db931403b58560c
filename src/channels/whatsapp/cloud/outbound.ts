import type { Redis } from 'ioredis';
import type { ChannelSender, SendLimits } from '../../../core/channel.js';
import { PermanentSendError } from '../../../core/errors.js';
import type { Language } from '../../../core/knowledge.js';
import { conversationKey, type OutboundMessage } from '../../../core/message.js';
import { Messages } from '../../../i18n/i18n.js';
import { I18nTranslator } from '../../../i18n/translator.js';
import type { ChannelNotice } from '../../registry.js';
import type { WhatsAppCloudSettings } from '../config.js';
import { postMessage, WindowClosedAtMetaError } from './graph-api.js';
import { cloudParts, graphMessage, type CloudPart } from './message-parts.js';
import { ConversationWindow } from './window.js';

export interface CloudSenderDeps {
  redis: Redis;
  keyPrefix: string;
  /** Tells the advisors of the conversation's open case (nothing happens when none is open). */
  advisorNotice(conversationKey: string, notice: ChannelNotice): Promise<void>;
  now?: () => number;
  /** Milliseconds one Graph API call may take (default 15 s). */
  fetchTimeoutMs?: number;
  /** Told of a problem the reply survives (a template Meta refuses): logged for the operator. */
  onError?(error: unknown, what: string): void;
}

/**
 * A reply kept while the user's window was closed: sent again from `resumePart` on once they write,
 * since the parts before it reached them already. The field travels with the reply's JSON.
 */
export type HeldReply = OutboundMessage & { resumePart?: number };

let translator: I18nTranslator | undefined;
/** The list button's label ("Options") in the reply's language; the locales are read once per process. */
function menuLabel(language: Language): string {
  translator ??= new I18nTranslator(Messages.create());
  return translator.t(language, 'whatsapp.menu');
}

/**
 * Sends replies through the Cloud API: text parts, the buttons on the last one (reply buttons or a
 * list). Free messages reach a user only within 24 hours of their last message: outside it the
 * reply is held until they write again, an approved template (when configured) asks them to, and
 * the advisors are told, once per closed window.
 */
export class WhatsAppCloudSender implements ChannelSender {
  readonly channel = 'whatsapp';
  readonly limits: SendLimits;
  readonly window: ConversationWindow;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: WhatsAppCloudSettings,
    private readonly deps: CloudSenderDeps,
  ) {
    this.limits = settings.limits;
    this.window = new ConversationWindow(deps.redis, deps.keyPrefix, settings);
    this.now = deps.now ?? Date.now;
    this.timeoutMs = deps.fetchTimeoutMs ?? 15_000;
  }

  parts(reply: OutboundMessage): CloudPart[] {
    return cloudParts(reply, menuLabel(reply.language));
  }

  partCount(reply: OutboundMessage): number {
    return this.parts(reply).length;
  }

  async send(reply: HeldReply, part: number): Promise<void> {
    const item = this.parts(reply)[part];
    if (item === undefined || part < (reply.resumePart ?? 0)) return;
    const closesAt = await this.window.closesAt(reply.userId);
    if (closesAt === undefined || this.now() >= closesAt) return this.waitForUser(reply, part, closesAt ?? 0);
    try {
      await postMessage(this.settings, graphMessage(reply.userId, item), this.timeoutMs);
    } catch (error) {
      // Meta's clock has the last word on the window.
      if (error instanceof WindowClosedAtMetaError) return this.waitForUser(reply, part, closesAt);
      throw error;
    }
  }

  /**
   * Holds the reply (from this part on) for the user's next message; for the first reply after the
   * window closed, sends the template and tells the advisors. A template that cannot be sent for a
   * passing reason is retried with the reply; one Meta refuses (not approved, wrong name) leaves
   * the reply held and is reported through onError, so that the operator sees it in the log.
   */
  private async waitForUser(reply: HeldReply, part: number, closedAt: number): Promise<void> {
    const userId = reply.userId;
    const held: HeldReply = { ...reply, resumePart: part };
    await this.window.hold(userId, JSON.stringify(held), reply.id);
    if (!(await this.window.templateSent(userId, closedAt))) return;
    const template = this.settings.template;
    const notice = (sent: boolean) => this.deps.advisorNotice(conversationKey('whatsapp', userId), { kind: 'window_closed', template: sent });
    if (template) {
      try {
        await postMessage(
          this.settings,
          { messaging_product: 'whatsapp', recipient_type: 'individual', to: userId, type: 'template', template: { name: template.name, language: { code: template.language } } },
          this.timeoutMs,
        );
      } catch (error) {
        if (error instanceof PermanentSendError || error instanceof WindowClosedAtMetaError) {
          // The reply is held, not lost: the send counts as done, and the operator learns of the template.
          await notice(false);
          this.deps.onError?.(new Error(`the WhatsApp template "${template.name}" was refused; the reply waits for the user to write: ${error.message}`, { cause: error }), 'template refused');
          return;
        }
        await this.window.templateFailed(userId, closedAt);
        throw error;
      }
    }
    await notice(Boolean(template));
  }
}
