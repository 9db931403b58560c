/** Receives what the notify channel says about a session: a new entry's id, "typing", or "close". */
export type StreamListener = (signal: string) => void;

export type OpenResult = { ok: true; close: () => void } | { ok: false; reason: 'session' | 'process' };

/**
 * The event streams open in this process, by session, with their caps: a few per session (a
 * person has a tab or two open), a total per process (each stream holds a socket and memory).
 */
export class OpenStreams {
  private readonly bySession = new Map<string, Set<StreamListener>>();
  private total = 0;

  constructor(
    private readonly perSession: number,
    private readonly perProcess: number,
  ) {}

  /** Registers a stream if both caps allow; `close` unregisters it (once). */
  open(session: string, listener: StreamListener): OpenResult {
    const set = this.bySession.get(session) ?? new Set<StreamListener>();
    if (set.size >= this.perSession) return { ok: false, reason: 'session' };
    if (this.total >= this.perProcess) return { ok: false, reason: 'process' };
    set.add(listener);
    this.bySession.set(session, set);
    this.total += 1;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      set.delete(listener);
      this.total -= 1;
      if (set.size === 0 && this.bySession.get(session) === set) this.bySession.delete(session);
    };
    return { ok: true, close };
  }

  signal(session: string, signal: string): void {
    for (const listener of this.bySession.get(session) ?? []) listener(signal);
  }

  signalAll(signal: string): void {
    for (const set of [...this.bySession.values()]) for (const listener of [...set]) listener(signal);
  }

  get size(): number {
    return this.total;
  }
}
