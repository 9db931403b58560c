import { randomUUID } from 'node:crypto';
import type { AdvisorRef, Case, CaseEvent, CaseOutcome, CaseStatus, NewCase } from '../../src/core/case.js';
import { priorityFor } from '../../src/core/case.js';
import type { ActionResult, AdvisorTransport, HandoffApi } from '../../src/handoff/handoff-api.js';
import { PoolDirectory, type Pool } from '../../src/handoff/pools.js';

type EventBody = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'id'> : never) : never;
type Action = 'claim' | 'release' | 'transfer' | 'resolve' | 'reply' | 'cancel' | 'handover';

const RANK = { urgent: 0, high: 1, normal: 2 } as const;

/** A pool with the schema's defaults (taken from the schema itself, by the default pool), for tests that build a PoolDirectory by hand. */
export function testPool(pool: Partial<Pool> & Pick<Pool, 'id'>): Pool {
  const defaults = PoolDirectory.load(undefined).pools[0]!;
  return { ...defaults, name: pool.id, slackChannel: undefined, ...pool };
}

/** A yielded turn: concurrent calls interleave between awaits, as Redis round trips do, but each transition stays atomic. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The HandoffApi in memory, with the Redis implementation's rules (CaseRepository's transition
 * script): a transition is one synchronous check-and-set, so of two claims at once exactly one
 * wins; a closed case refuses everything; another advisor's case answers `taken` with its holder;
 * release and reply need the holder; a reply is recorded once per message id. Every change appends
 * an event, which listeners (see `EventLane`) receive in order.
 */
export class MemoryHandoff implements HandoffApi {
  /** What reached the user: the holder's replies, once each. */
  readonly delivered: { caseId: string; advisor: AdvisorRef; text: string; messageId: string }[] = [];
  /** How often each method was called. */
  readonly calls: Record<string, number> = {};
  private readonly cases = new Map<string, Case>();
  private readonly history = new Map<string, CaseEvent[]>();
  private readonly replyIds = new Set<string>();
  private readonly threads = new Map<string, string>();
  private readonly listeners = new Set<(c: Case, event: CaseEvent) => void>();
  private seq = 0;

  constructor(readonly pools: PoolDirectory = PoolDirectory.load(undefined, 'C_ADVISORS')) {}

  private count(method: string) {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe. */
  onEvent(listener: (c: Case, event: CaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(c: Case, body: EventBody): CaseEvent {
    const event = { ...body, id: `${Date.now()}-${this.seq++}` } as CaseEvent;
    this.history.get(c.id)!.push(event);
    for (const listener of this.listeners) listener(structuredClone(c), structuredClone(event));
    return event;
  }

  /** Opens a case as the pipeline's open-case step would: routed to a pool, with an `opened` event. */
  async open(input: Partial<NewCase> = {}): Promise<Case> {
    this.count('open');
    const reason = input.reason ?? 'user_request';
    const base = { conversationKey: 'telegram:1', channel: 'telegram', userId: '1', language: 'en' as const, brief: 'The user asks about recognition of a nursing diploma.', ...input, reason, priority: input.priority ?? priorityFor(reason) };
    const pool = input.pool ?? this.pools.route(base).pool.id;
    const now = new Date().toISOString();
    const c: Case = { ...base, id: randomUUID(), status: 'open', pool, createdAt: now, updatedAt: now };
    this.cases.set(c.id, c);
    this.history.set(c.id, []);
    this.append(c, { type: 'opened', at: now });
    return structuredClone(c);
  }

  /** The user wrote while the case waits or is held. */
  async userMessage(caseId: string, text: string): Promise<CaseEvent> {
    return this.append(this.must(caseId), { type: 'user_message', at: new Date().toISOString(), text });
  }

  async botAnswer(caseId: string, text: string): Promise<CaseEvent> {
    return this.append(this.must(caseId), { type: 'bot_answer', at: new Date().toISOString(), text });
  }

  /** What the SLA timer does when a case waits too long. */
  async remind(caseId: string, step: number): Promise<CaseEvent> {
    return this.append(this.must(caseId), { type: 'sla_reminder', at: new Date().toISOString(), step });
  }

  async cancel(caseId: string): Promise<ActionResult> {
    return this.transition(caseId, 'cancel');
  }

  private must(caseId: string): Case {
    const c = this.cases.get(caseId);
    if (!c) throw new Error(`no case ${caseId}`);
    return c;
  }

  async get(caseId: string): Promise<Case | undefined> {
    this.count('get');
    await tick();
    const c = this.cases.get(caseId);
    return c && structuredClone(c);
  }

  async list(pools: string[], statuses: CaseStatus[] = ['open', 'claimed']): Promise<Case[]> {
    this.count('list');
    await tick();
    return [...this.cases.values()]
      .filter((c) => pools.includes(c.pool) && statuses.includes(c.status))
      .sort((a, b) => RANK[a.priority] - RANK[b.priority] || Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .map((c) => structuredClone(c));
  }

  async events(caseId: string, afterId?: string): Promise<CaseEvent[]> {
    this.count('events');
    await tick();
    const all = this.history.get(caseId) ?? [];
    const from = afterId ? all.findIndex((event) => event.id === afterId) + 1 : 0;
    return structuredClone(all.slice(from));
  }

  claim(caseId: string, advisor: AdvisorRef, pools?: string[]) {
    return this.transition(caseId, 'claim', advisor, pools);
  }

  handOver(caseId: string, advisor: AdvisorRef, to: AdvisorRef, pools?: string[]) {
    if (to.id === advisor.id) return Promise.resolve({ ok: false as const, reason: 'not_allowed' as const });
    return this.transition(caseId, 'handover', advisor, pools, { to });
  }

  release(caseId: string, advisor: AdvisorRef, pools?: string[]) {
    return this.transition(caseId, 'release', advisor, pools);
  }

  transfer(caseId: string, advisor: AdvisorRef, toPool: string, pools?: string[]) {
    return this.transition(caseId, 'transfer', advisor, pools, { toPool });
  }

  resolve(caseId: string, advisor: AdvisorRef, outcome?: CaseOutcome, pools?: string[]) {
    return this.transition(caseId, 'resolve', advisor, pools, { outcome });
  }

  async reply(caseId: string, advisor: AdvisorRef, text: string, messageId: string, pools?: string[]): Promise<ActionResult> {
    const result = await this.transition(caseId, 'reply', advisor, pools);
    if (!result.ok) return result;
    // A repeated message id (a redelivered Slack event) is a no-op: the user gets each reply once.
    const key = `${caseId}:${messageId}`;
    if (this.replyIds.has(key)) return result;
    this.replyIds.add(key);
    this.delivered.push({ caseId, advisor, text, messageId });
    this.append(this.must(caseId), { type: 'advisor_message', at: new Date().toISOString(), advisor, text });
    return result;
  }

  async attachSlack(caseId: string, ref: { channel: string; ts: string }): Promise<void> {
    this.count('attachSlack');
    await tick();
    const c = this.cases.get(caseId);
    if (!c) return;
    c.slack = ref;
    this.threads.set(`${ref.channel}:${ref.ts}`, caseId);
  }

  async findBySlackThread(channel: string, ts: string): Promise<Case | undefined> {
    this.count('findBySlackThread');
    await tick();
    const id = this.threads.get(`${channel}:${ts}`);
    const c = id ? this.cases.get(id) : undefined;
    return c && structuredClone(c);
  }

  /** One atomic step: everything between the tick and the return runs without interruption. */
  private async transition(caseId: string, action: Action, advisor?: AdvisorRef, pools?: string[], arg: { toPool?: string; outcome?: CaseOutcome; to?: AdvisorRef } = {}): Promise<ActionResult> {
    this.count(action);
    await tick();
    const c = this.cases.get(caseId);
    if (!c) return { ok: false, reason: 'not_found' };
    if (pools && !pools.includes(c.pool)) return { ok: false, reason: 'not_allowed' };
    if (c.status === 'resolved' || c.status === 'cancelled') return { ok: false, reason: 'closed' };
    const now = new Date().toISOString();
    if (action === 'cancel') {
      Object.assign(c, { status: 'cancelled', closedAt: now, updatedAt: now });
      this.append(c, { type: 'cancelled', at: now });
      return { ok: true, case: structuredClone(c) };
    }
    const who = advisor!;
    if (action === 'claim') {
      if (c.status === 'claimed') return { ok: false, reason: 'taken', heldBy: c.claimedBy, case: structuredClone(c) };
      Object.assign(c, { status: 'claimed', claimedBy: who, claimedAt: now, updatedAt: now });
      this.append(c, { type: 'claimed', at: now, advisor: who });
      return { ok: true, case: structuredClone(c) };
    }
    if (c.status === 'claimed' && c.claimedBy?.id !== who.id) return { ok: false, reason: 'taken', heldBy: c.claimedBy, case: structuredClone(c) };
    switch (action) {
      case 'reply':
        if (c.status !== 'claimed') return { ok: false, reason: 'not_holder' };
        return { ok: true, case: structuredClone(c) };
      case 'handover':
        if (c.status !== 'claimed') return { ok: false, reason: 'not_holder' };
        Object.assign(c, { claimedBy: arg.to, claimedAt: now, updatedAt: now });
        this.append(c, { type: 'handed_over', at: now, advisor: who, to: arg.to! });
        return { ok: true, case: structuredClone(c) };
      case 'release':
        if (c.status !== 'claimed') return { ok: false, reason: 'not_holder' };
        Object.assign(c, { status: 'open', claimedBy: undefined, claimedAt: undefined, updatedAt: now });
        this.append(c, { type: 'released', at: now, advisor: who });
        return { ok: true, case: structuredClone(c) };
      case 'transfer':
        Object.assign(c, { status: 'open', pool: arg.toPool, claimedBy: undefined, claimedAt: undefined, updatedAt: now });
        this.append(c, { type: 'transferred', at: now, advisor: who, toPool: arg.toPool! });
        return { ok: true, case: structuredClone(c) };
      case 'resolve':
        Object.assign(c, { status: 'resolved', outcome: arg.outcome, closedAt: now, updatedAt: now });
        this.append(c, { type: 'resolved', at: now, advisor: who, outcome: arg.outcome });
        return { ok: true, case: structuredClone(c) };
    }
  }
}

/**
 * Hands a handoff's events to an advisor transport as the sender's lane per case does: in order
 * per case, one at a time, a failed notify retried (a few times, quickly). `idle()` waits until every
 * event so far is shown; `failures` keeps the errors of attempts that failed.
 */
export class EventLane {
  readonly failures: unknown[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  private readonly stop: () => void;

  constructor(
    private readonly handoff: MemoryHandoff,
    private readonly transport: AdvisorTransport,
    private readonly options: { attempts?: number; delayMs?: number } = {},
  ) {
    this.stop = handoff.onEvent((c, event) => {
      const tail = (this.tails.get(c.id) ?? Promise.resolve()).then(() => this.deliver(c.id, event));
      this.tails.set(c.id, tail);
    });
  }

  private async deliver(caseId: string, event: CaseEvent): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const c = await this.handoff.get(caseId);
        if (!c) return; // erased meanwhile: nothing to show
        return await this.transport.notify(c, event);
      } catch (error) {
        this.failures.push(error);
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs ?? 20));
      }
    }
  }

  async idle(): Promise<void> {
    for (;;) {
      const tails = [...this.tails.values()];
      await Promise.all(tails);
      if ([...this.tails.values()].every((tail, i) => tail === tails[i]) && this.tails.size === tails.length) return;
    }
  }

  close(): void {
    this.stop();
  }
}
