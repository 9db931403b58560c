import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SseResponse } from '../../../infra/sse-response.js';

/** What the handoff publishes for every new case event: ids only, never what was said. */
export interface CaseEventNotice {
  caseId: string;
  pool: string;
  eventId: string;
}

const noticeSchema = z.object({ caseId: z.string().min(1).max(100), pool: z.string().min(1).max(40), eventId: z.string().min(1).max(64) });

/** The Redis channel the handoff publishes case events on. */
export const caseEventsChannel = (prefix: string): string => `${prefix}case-events`;

/** Where the console hears of new case events. */
export interface CaseEventFeed {
  /** Calls the listener for every notice from now on; returns the function that stops it. */
  subscribe(listener: (notice: CaseEventNotice) => void): () => void;
}

/**
 * The case events published on `<prefix>case-events`, for every console stream of this process
 * (one Redis subscription, however many advisors are connected). Needs a connection of its own,
 * in subscriber mode; it may be shared with other subscribers, who listen to other channels.
 */
export class RedisCaseEventFeed implements CaseEventFeed {
  private readonly listeners = new Set<(notice: CaseEventNotice) => void>();
  private readonly channel: string;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // not ours to understand; the next refresh shows the change anyway
    }
    const notice = noticeSchema.safeParse(parsed);
    if (!notice.success) return;
    for (const listener of [...this.listeners]) listener(notice.data);
  };

  constructor(
    private readonly subscriber: Redis,
    prefix = 'lotse:',
  ) {
    this.channel = caseEventsChannel(prefix);
  }

  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  subscribe(listener: (notice: CaseEventNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * One advisor's server-sent event stream. A notice of a case in the advisor's pools is sent as
 * `case` (the page re-reads the queue, and the open case's new events, through the API, which
 * checks the pools again). A notice of any other pool is sent as `elsewhere` with the case id
 * alone: the page re-reads only when it shows that case, which is how a case transferred out of
 * the advisor's pools leaves their queue at once (the handoff announces a transfer under the new pool).
 * Nothing a user or advisor wrote goes over the stream. Every heartbeat checks that the session
 * still lives; when it has ended the stream says `signed-out` and closes.
 */
export class UpdateStream {
  private readonly sse: SseResponse;

  constructor(
    raw: ServerResponse,
    private readonly pools: readonly string[],
    private readonly heartbeatMs: number,
    private readonly stillSignedIn: () => Promise<boolean>,
  ) {
    this.sse = new SseResponse(raw);
  }

  start(): void {
    this.sse.open({ retryMs: 3000, cacheControl: 'no-store, no-transform', heartbeatMs: this.heartbeatMs, onHeartbeat: () => void this.checkSession() });
    // The page re-reads everything on `ready` (also after a reconnect), so nothing missed meanwhile stays missed.
    this.sse.write('event: ready\ndata: {}\n\n');
  }

  notice(notice: CaseEventNotice): void {
    if (this.pools.includes(notice.pool)) this.sse.write(`event: case\ndata: ${JSON.stringify(notice)}\n\n`);
    else this.sse.write(`event: elsewhere\ndata: ${JSON.stringify({ caseId: notice.caseId })}\n\n`);
  }

  end(): void {
    this.sse.end();
  }

  private async checkSession(): Promise<void> {
    const live = await this.stillSignedIn().catch(() => true); // Redis away: keep the stream; the API will tell
    if (live || this.sse.closed) return;
    this.sse.write('event: signed-out\ndata: {}\n\n');
    this.end();
  }
}
