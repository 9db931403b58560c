import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { SseResponse } from '../../infra/sse-response.js';
import { compareStreamIds, formatStreamId, parseStreamId, type StreamId } from './stream-ids.js';

const BATCH = 100;

/**
 * One browser's server-sent event stream of a session's replies. Each event's id is its outbox
 * entry id, so a reconnecting browser (Last-Event-ID) resumes right after it: nothing missed,
 * nothing twice. Reads are serialised, so notifications arriving together never send an entry twice.
 */
export class ReplyStream {
  /** The last entry sent; null: from the start of the outbox. */
  private cursor: StreamId | null = null;
  private reads = Promise.resolve();
  private readonly sse: SseResponse;

  constructor(
    private readonly redis: Redis,
    private readonly outbox: string,
    raw: ServerResponse,
    private readonly heartbeatMs: number,
  ) {
    this.sse = new SseResponse(raw);
  }

  /** Sends the headers and what the browser has not seen yet, then keeps the stream alive. */
  async start(lastEventId: unknown): Promise<void> {
    // The read after each heartbeat catches a notification lost while the subscriber connection was reconnecting.
    this.sse.open({ retryMs: 2000, cacheControl: 'no-cache, no-transform', heartbeatMs: this.heartbeatMs, onHeartbeat: () => this.read() });
    const resumeAt = parseStreamId(lastEventId);
    await this.enqueue(async () => {
      if (resumeAt) {
        // An id beyond the outbox's newest entry comes from an outbox since erased: start afresh.
        const [newest] = await this.redis.xrevrange(this.outbox, '+', '-', 'COUNT', 1);
        const newestId = newest && parseStreamId(newest[0]);
        this.cursor = newestId && compareStreamIds(newestId, resumeAt) < 0 ? null : resumeAt;
      }
      await this.readNew();
    });
  }

  /** What the notify channel said: a new entry's id ("first:<id>" for a new outbox), "typing", or "close" (the gateway stops). */
  signal(message: string): void {
    if (message === 'close') return this.end();
    if (message === 'typing') return this.write('event: typing\ndata: {}\n\n');
    const first = message.startsWith('first:') ? parseStreamId(message.slice(6)) : null;
    void this.enqueue(async () => {
      // A new outbox (after an erasure) is numbered after the old one (see WebSender) unless Redis's
      // clock went back, e.g. on a failover; then its first entry is not after the cursor: read it all.
      if (first && this.cursor && compareStreamIds(first, this.cursor) <= 0) this.cursor = null;
      await this.readNew();
    });
  }

  end(): void {
    this.sse.end();
  }

  private read(): void {
    void this.enqueue(() => this.readNew());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    // A failed read (Redis away) is retried by the next notification or heartbeat.
    this.reads = this.reads.then(() => (this.sse.closed ? undefined : task())).catch(() => undefined);
    return this.reads;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const start = this.cursor ? `(${formatStreamId(this.cursor)}` : '-';
      const entries = await this.redis.xrange(this.outbox, start, '+', 'COUNT', BATCH);
      for (const [id, fields] of entries) {
        const reply = fieldOf(fields, 'reply');
        if (reply !== undefined) this.write(`id: ${id}\nevent: reply\n${dataLines(fieldOf(fields, 'first') ? markFirst(reply) : reply)}\n\n`);
        this.cursor = parseStreamId(id) ?? this.cursor;
      }
      if (entries.length < BATCH || this.sse.closed) return;
    }
  }

  private write(chunk: string): void {
    this.sse.write(chunk);
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
}

/** The first reply of an outbox, marked so: the page forgets what it kept of an erased conversation. */
function markFirst(reply: string): string {
  try {
    return JSON.stringify({ ...(JSON.parse(reply) as object), first: true });
  } catch {
    return reply;
  }
}

/** SSE data lines: a line break inside the data would end the field early. */
const dataLines = (data: string): string =>
  data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
