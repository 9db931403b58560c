import type { ChannelSender } from '../core/channel.js';
import type { OutboundMessage } from '../core/message.js';
import type { NoticeSubscription } from '../core/notices.js';
import type { ThrottleRates } from './broadcast-throttle.js';

/** How a notice reaches one subscriber now: as a message, as the approved template, or not at all (and why). */
export type NoticeDelivery =
  | { kind: 'message'; message: OutboundMessage }
  | { kind: 'template'; name: string; language: string; parameters: string[] }
  | { kind: 'skip'; reason: 'window_closed' };

/** What a transport is given to decide: the message in the subscriber's language, and the template's parameters in a language it asks for. */
export interface NoticeContent {
  message: OutboundMessage;
  /** Which approved template says it: the notice's (title, date and time, link), or the cancellation's (title, date and time). */
  template: 'notice' | 'cancellation';
  /** That template's body parameters in a language of the transport's choice. */
  templateParameters(language: NoticeSubscription['language']): string[];
}

/**
 * Port: sends event notices on one channel, within its rates. A platform error surfaces as the
 * outbound worker's errors do (RateLimitedError: wait; PermanentSendError: give up on this one;
 * anything else: try again); WindowClosedError: the platform says the subscriber is outside the
 * window after all, and the template is tried.
 */
export interface NoticeTransport {
  readonly channel: string;
  readonly rates: ThrottleRates;
  plan(subscriber: NoticeSubscription, content: NoticeContent, windowClosed?: boolean): Promise<NoticeDelivery>;
  send(subscriber: NoticeSubscription, delivery: Exclude<NoticeDelivery, { kind: 'skip' }>): Promise<void>;
}

/** The platform says the free-message window is closed (WhatsApp's 24 hours): the template is tried instead. */
export class WindowClosedError extends Error {
  constructor() {
    super('the platform refused a free message: the 24-hour window is closed');
    this.name = 'WindowClosedError';
  }
}

/**
 * A channel whose sender can reach a user at any time (Telegram; WhatsApp through whatsapp-web.js,
 * which has no window): the notice goes as an ordinary message through the channel's own sender
 * and renderer, part by part.
 */
export class SenderNoticeTransport implements NoticeTransport {
  readonly channel: string;

  constructor(
    private readonly sender: ChannelSender,
    readonly rates: ThrottleRates,
  ) {
    this.channel = sender.channel;
  }

  async plan(_subscriber: NoticeSubscription, content: NoticeContent): Promise<NoticeDelivery> {
    return { kind: 'message', message: content.message };
  }

  async send(_subscriber: NoticeSubscription, delivery: Exclude<NoticeDelivery, { kind: 'skip' }>): Promise<void> {
    if (delivery.kind !== 'message') throw new Error(`${this.channel} sends no templates`);
    const parts = Math.max(1, this.sender.partCount?.(delivery.message) ?? 1);
    for (let part = 0; part < parts; part++) await this.sender.send(delivery.message, part);
  }
}
