import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ChannelSender } from '../core/channel.js';
import { PermanentSendError, RateLimitedError } from '../core/errors.js';
import type { OutboundJob, TypingJob } from './job-types.js';
import { QUEUES } from './queue-names.js';

export interface OutboundWorkerOptions {
  prefix?: string;
  /** Replies sent at once (default 8). */
  concurrency?: number;
  onFailed?: (error: Error, jobId: string | undefined) => void;
  /** Key prefix of the delivery markers (default "lotse:"). */
  markerPrefix?: string;
}

/**
 * Delivers replies through the sender of their channel. Never sends a reply twice: a marker says
 * "sending" before the platform call and "sent" after it. A known failure (429, 5xx, network refusal)
 * clears the marker and the job retries, a 429 after its retry_after without counting as a failure;
 * a crash between the call and the marker leaves "sending", and the retry then does not send again
 * (at most once) but fails the job for inspection instead.
 */
export function startOutboundWorker(connection: Redis, markers: Redis, senders: ChannelSender[], options: OutboundWorkerOptions = {}): Worker<OutboundJob | TypingJob> {
  const byChannel = new Map(senders.map((sender) => [sender.channel, sender]));
  const prefix = options.markerPrefix ?? 'lotse:';
  const process = async (job: Job<OutboundJob | TypingJob>, token?: string) => {
    if ('typing' in job.data) {
      await byChannel.get(job.data.typing.channel)?.typing?.(job.data.typing.userId).catch(() => undefined);
      return 'typing';
    }
    const { reply } = job.data;
    const sender = byChannel.get(reply.channel);
    if (!sender) throw new UnrecoverableError(`no sender for channel "${reply.channel}" in this process`);
    const marker = `${prefix}sent:${reply.id}`;
    const claimed = await markers.set(marker, 'sending', 'EX', 7 * 86_400, 'NX');
    if (claimed !== 'OK') {
      const state = await markers.get(marker);
      if (state === 'sent') return 'already sent';
      throw new UnrecoverableError('delivery uncertain: an earlier attempt stopped while sending; not sending again');
    }
    try {
      await sender.send(reply);
    } catch (error) {
      await markers.del(marker);
      if (error instanceof RateLimitedError) {
        await job.moveToDelayed(Date.now() + error.retryAfterSeconds * 1000, token);
        throw new DelayedError();
      }
      if (error instanceof PermanentSendError) throw new UnrecoverableError(error.message);
      throw error;
    }
    await markers.set(marker, 'sent', 'EX', 7 * 86_400);
    return 'sent';
  };
  const worker = new Worker<OutboundJob | TypingJob>(QUEUES.outbound, process, { connection, prefix: options.prefix, concurrency: options.concurrency ?? 8 });
  worker.on('failed', (job, error) => options.onFailed?.(error, job?.id));
  worker.on('error', () => undefined);
  return worker;
}
