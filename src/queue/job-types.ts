import type { InboundMessage, OutboundMessage } from '../core/message.js';

/** A message from a user, waiting for the conversation worker. */
export interface InboundJob {
  message: InboundMessage;
}

/** A reply, waiting for the sender of its channel. */
export interface OutboundJob {
  reply: OutboundMessage;
}

/** Asks the channel to show "typing…" while the answer is prepared. */
export interface TypingJob {
  typing: { channel: string; userId: string };
}
