import type { ServerResponse } from 'node:http';

export interface SseOptions {
  /** What the browser waits before reconnecting (the `retry:` field), in ms. */
  retryMs: number;
  /** The response's Cache-Control. */
  cacheControl: string;
  heartbeatMs: number;
  /** Called every heartbeat, after the keep-alive comment (which keeps proxies from closing an idle stream). */
  onHeartbeat?: () => void;
}

/**
 * A server-sent event response: headers, the retry hint, a keep-alive heartbeat, and writes that
 * stop once the browser left (a socket error then is no unhandled 'error' event).
 */
export class SseResponse {
  private heartbeat?: NodeJS.Timeout;
  private ended = false;

  constructor(private readonly raw: ServerResponse) {}

  /** True once the browser left or the stream was ended. */
  get closed(): boolean {
    return this.ended;
  }

  open(options: SseOptions): void {
    this.raw.on('close', () => this.stop());
    this.raw.on('error', () => this.stop());
    this.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': options.cacheControl, connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.write(`retry: ${options.retryMs}\n\n`);
    this.heartbeat = setInterval(() => {
      this.write(': keep-alive\n\n');
      options.onHeartbeat?.();
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  write(chunk: string): void {
    if (this.ended || this.raw.writableEnded || this.raw.destroyed) return;
    this.raw.write(chunk);
  }

  end(): void {
    this.stop();
    if (!this.raw.writableEnded) this.raw.end();
  }

  private stop(): void {
    this.ended = true;
    clearInterval(this.heartbeat);
  }
}
