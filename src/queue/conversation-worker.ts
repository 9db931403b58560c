import type { Worker } from 'bullmq';
import type { HandleMessage } from '../core/conversation-pipeline.js';
import type { InboundMessage } from '../core/message.js';
import type { RedisConnection } from '../infra/redis.js';
import { parseItem } from './lanes/lane-errors.js';
import type { WakeJob } from './lanes/lane-queue.js';
import { startLaneWorker } from './lanes/lane-worker.js';
import type { MessageQueues } from './message-queues.js';

export interface ConversationWorkerOptions {
  bullPrefix?: string;
  /** Turns at once in this process, each of another conversation (default 8). */
  concurrency?: number;
  /** The conversation lease (default 10 s): a dead worker's conversations resume after it. */
  leaseMs?: number;
  /** Attempts of one message before it is given up on (default 5). */
  maxAttempts?: number;
  /** Wait before attempt n+1 (default 1 s doubling). */
  backoffMs?: (attempt: number) => number;
  /** "typing…" is shown when a turn takes longer than this (default 700 ms): a fast answer needs none. */
  typingAfterMs?: number;
  /** …and again every this many ms while the turn lasts (default 4,500: Telegram shows it for 5 s). */
  typingEveryMs?: number;
  /** A turn failed and will be retried (the caller logs it without content). */
  onRetry?: (error: unknown, conversation: string, attempt: number) => void;
  /** Errors outside a turn (Redis unreachable): the caller logs them. */
  onError?: (error: unknown) => void;
  /** A message given up on, or unreadable: the caller keeps it redacted and tells the user. */
  onDead: (message: InboundMessage | undefined, error: unknown, conversation: string) => Promise<void>;
}

/**
 * Runs the conversation pipeline on the inbound lanes: each conversation's messages in order and
 * one at a time across every worker process, many conversations at once in each. The pipeline
 * puts the replies in the outbound lanes before a message counts as handled.
 */
export function startConversationWorker(connection: RedisConnection, client: RedisConnection, queues: MessageQueues, handle: HandleMessage, options: ConversationWorkerOptions): Worker<WakeJob> {
  const typingAfter = options.typingAfterMs ?? 700;
  const typingEvery = options.typingEveryMs ?? 4_500;
  return startLaneWorker(
    connection,
    client,
    queues.inbound,
    async (raw, conversation) => {
      const message = JSON.parse(raw) as InboundMessage;
      if (message.throttled) {
        // Of a flood, one message a minute gets the notice; the others are dropped unread.
        const first = await client.set(`${queues.inbound.keys(conversation).base}:flood-notice`, '1', 'EX', 60, 'NX');
        if (first !== 'OK') return;
      }
      // Only a slow turn (an LLM answer) shows "typing…", renewed while it lasts; most turns end first
      // and put no typing job in the queue at all.
      let typing: NodeJS.Timeout | undefined;
      const showTyping = () => {
        void queues.typing(message.channel, message.userId).catch(() => undefined);
        typing = setTimeout(showTyping, typingEvery);
      };
      if (message.kind === 'text' && message.text.trim() !== '') typing = setTimeout(showTyping, typingAfter);
      try {
        await handle(message);
      } finally {
        clearTimeout(typing);
      }
    },
    {
      bullPrefix: options.bullPrefix,
      concurrency: options.concurrency,
      leaseMs: options.leaseMs,
      maxAttempts: options.maxAttempts ?? 5,
      backoffMs: options.backoffMs,
      onRetry: options.onRetry,
      onError: options.onError,
      onDead: (raw, error, conversation) => options.onDead(parseItem<InboundMessage>(raw), error, conversation),
    },
  );
}
