import type { Redis } from 'ioredis';
import type { Language } from '../core/knowledge.js';
import type { NoticeSubscription } from '../core/notices.js';
import { postMessage, WindowClosedAtMetaError } from '../channels/whatsapp/cloud/graph-api.js';
import { cloudParts, graphMessage } from '../channels/whatsapp/cloud/message-parts.js';
import { ConversationWindow } from '../channels/whatsapp/cloud/window.js';
import type { WhatsAppCloudSettings } from '../channels/whatsapp/config.js';
import type { ThrottleRates } from './broadcast-throttle.js';
import { WindowClosedError, type NoticeContent, type NoticeDelivery, type NoticeTransport } from './notice-transports.js';

/** The approved notice template: its name, and the languages it is approved in (Lotse's language, Meta's code), the first the fallback. */
export interface NoticeTemplate {
  name: string;
  languages: { language: Language; code: string }[];
}

/**
 * Event notices through the WhatsApp Cloud API. Inside the user's 24-hour customer-service window a
 * notice is an ordinary message; outside it, only an approved template may go (the notice's: title,
 * date and time, link; a cancellation's: title, date and time), in the user's language where it is approved in it and
 * else in its first language. Without a template, a user outside the window is skipped (and
 * counted): no free text is ever sent there. Meta's clock has the last word: a message it refuses
 * as outside the window becomes the template.
 */
export class WhatsAppCloudNoticeTransport implements NoticeTransport {
  readonly channel = 'whatsapp';
  private readonly window: ConversationWindow;

  constructor(
    private readonly settings: WhatsAppCloudSettings,
    redis: Redis,
    keyPrefix: string,
    readonly rates: ThrottleRates,
    private readonly templates: { notice?: NoticeTemplate; cancellation?: NoticeTemplate } = {},
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = 15_000,
  ) {
    this.window = new ConversationWindow(redis, keyPrefix, settings);
  }

  async plan(subscriber: NoticeSubscription, content: NoticeContent, windowClosed = false): Promise<NoticeDelivery> {
    if (!windowClosed && (await this.window.isOpen(subscriber.userId, this.now()))) return { kind: 'message', message: content.message };
    // Each says only its own: a cancellation never goes as the notice template, which would announce the event again.
    const template = this.templates[content.template];
    const approved = template?.languages.find((entry) => entry.language === subscriber.language) ?? template?.languages[0];
    if (!template || !approved) return { kind: 'skip', reason: 'window_closed' };
    return { kind: 'template', name: template.name, language: approved.code, parameters: content.templateParameters(approved.language) };
  }

  async send(subscriber: NoticeSubscription, delivery: Exclude<NoticeDelivery, { kind: 'skip' }>): Promise<void> {
    try {
      if (delivery.kind === 'template') {
        await postMessage(
          this.settings,
          {
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to: subscriber.userId,
            type: 'template',
            template: { name: delivery.name, language: { code: delivery.language }, components: [{ type: 'body', parameters: delivery.parameters.map((text) => ({ type: 'text', text })) }] },
          },
          this.timeoutMs,
        );
        return;
      }
      // A notice has no buttons: its parts are plain text (one, at a notice's length).
      for (const part of cloudParts(delivery.message, '')) await postMessage(this.settings, graphMessage(subscriber.userId, part), this.timeoutMs);
    } catch (error) {
      if (error instanceof WindowClosedAtMetaError) throw new WindowClosedError();
      throw error;
    }
  }
}
