import type { InboundMessage, OutboundMessage } from './message.js';

/** A platform's sending limits, respected before sending (not only after a 429), across all sender processes. */
export interface SendLimits {
  /** Messages per second for the whole bot or number (Telegram about 30). */
  perSecond?: number;
  /** Least milliseconds between two messages to one chat (Telegram and Slack: about 1000). */
  perChatIntervalMs?: number;
}

/**
 * Port: delivers replies on one platform. A reply may take several platform messages (a long text
 * in parts); each part is sent and recorded on its own, so that a retry resends none that got
 * through. Throws RateLimitedError on a 429, PermanentSendError when retrying cannot help.
 */
export interface ChannelSender {
  readonly channel: string;
  /** How many platform messages the reply takes (default 1). */
  partCount?(reply: OutboundMessage): number;
  /** Sends part `part` (0-based) of the reply. */
  send(reply: OutboundMessage, part: number): Promise<void>;
  /** Shows that an answer is being prepared (e.g. Telegram's "typing…"); best effort. */
  typing?(userId: string): Promise<void>;
  /** Proactive limits; none when absent (the web chat). */
  readonly limits?: SendLimits;
}

/** Port: takes normalised inbound messages into the durable queue; resolves only once the message is safe. */
export interface InboundSink {
  accept(message: InboundMessage): Promise<void>;
}

/** A channel as the gateway sees it: started and stopped with the process; its sender delivers replies. */
export interface ChannelAdapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly sender: ChannelSender;
}
