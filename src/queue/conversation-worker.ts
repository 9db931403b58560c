import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HandleMessage } from '../core/conversation-pipeline.js';
import type { InboundJob } from './job-types.js';
import type { MessageQueues } from './message-queues.js';
import { QUEUES } from './queue-names.js';

export interface ConversationWorkerOptions {
  prefix?: string;
  /** Called on a job's failure (the caller logs it, without message text). */
  onFailed?: (error: Error, jobId: string | undefined) => void;
}

/**
 * Runs the conversation pipeline on inbound jobs: one worker per partition, one job at a time per
 * partition across all processes (global concurrency 1), so each conversation is handled in order
 * while different conversations run side by side. The pipeline puts replies on the outbound queue.
 */
export function startConversationWorkers(connection: Redis, queues: MessageQueues, handle: HandleMessage, options: ConversationWorkerOptions = {}): Worker<InboundJob>[] {
  return queues.inbound.map((_, partition) => {
    const worker = new Worker<InboundJob>(
      QUEUES.inbound(partition),
      async (job) => {
        const { message } = job.data;
        if (message.kind === 'text' && message.text.trim() !== '') await queues.typing(message.channel, message.userId).catch(() => undefined);
        const result = await handle(message);
        return { replies: result.replies.length, duplicate: result.duplicate, escalation: result.escalation?.reason ?? null };
      },
      { connection, prefix: options.prefix, concurrency: 1 },
    );
    worker.on('failed', (job, error) => options.onFailed?.(error, job?.id));
    // Connection errors are retried by ioredis; without a listener they would crash the process.
    worker.on('error', () => undefined);
    return worker;
  });
}
