import type { InboundMessage, OutboundMessage } from './message.js';

/** Port: delivers replies on one platform. Throws RateLimitedError on a 429, PermanentSendError when retrying cannot help. */
export interface ChannelSender {
  readonly channel: string;
  send(reply: OutboundMessage): Promise<void>;
  /** Shows that an answer is being prepared (e.g. Telegram's "typing…"); best effort. */
  typing?(userId: string): Promise<void>;
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
