import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { priorityFor, type AdvisorRef, type Case, type CaseEvent, type CaseOutcome, type CaseStatus } from '../../src/core/case.js';
import type { ActionResult, HandoffApi } from '../../src/handoff/handoff-api.js';
import { PoolDirectory } from '../../src/handoff/pools.js';
import type { CaseEventFeed, CaseEventNotice } from '../../src/handoff/advisors/console/live-updates.js';

type EventBody = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'id'> : never) : never;
type Action = 'claim' | 'release' | 'transfer' | 'resolve' | 'reply' | 'handover';

const RANK = { urgent: 0, high: 1, normal: 2 } as const;

/** Pools through the real schema (its defaults), from a throw-away file: `{ id, name?, ... }` each. */
export function poolDirectory(pools: Record<string, unknown>[], defaultPool?: string): PoolDirectory {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lotse-pools-'));
  try {
    const file = path.join(dir, 'pools.yaml');
    writeFileSync(file, stringify({ defaultPool, pools: pools.map((pool) => ({ name: pool.id, ...pool })) }));
    return PoolDirectory.load(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a test opens a case with: the rest takes plausible defaults. */
export type TestCase = Partial<Omit<Case, 'id' | 'status' | 'claimedBy'>> & { pool: string };

/**
 * The HandoffApi in memory, for the console's tests until (and besides) the Redis service: the
 * same rules as CaseRepository's transition script. Each transition is one synchronous
 * check-and-set, so of two claims at once exactly one wins. A closed case refuses everything;
 * a case held by another advisor answers `taken` with its holder (a claim of one's own case too,
 * as the script does); release and reply need the holder; transfer and resolve take an open case
 * or one's own; a reply is recorded once per message id; a case of a pool not in `pools` is
 * `not_allowed`. Every event is announced, like the service's PUBLISH on `<prefix>case-events`,
 * as `{ caseId, pool, eventId }` on `updates` ('case-event') and through `publish` when given.
 */
export class MemoryHandoffConsole implements HandoffApi {
  readonly updates = new EventEmitter();
  /** What reached the user: the holder's replies, once each. */
  readonly delivered: { caseId: string; advisor: AdvisorRef; text: string }[] = [];
  private readonly cases = new Map<string, Case>();
  private readonly history = new Map<string, CaseEvent[]>();
  private readonly seen = new Set<string>();
  private readonly slackThreads = new Map<string, string>();
  private lastMs = 0;
  private seq = 0;

  constructor(
    readonly pools: PoolDirectory,
    /** Also publish each notice elsewhere (e.g. on the Redis channel, as the service does). */
    private readonly publish?: (notice: CaseEventNotice) => void | Promise<void>,
  ) {}

  /** A CaseEventFeed over `updates`, for a console without Redis pub/sub. */
  feed(): CaseEventFeed {
    return {
      subscribe: (listener) => {
        this.updates.on('case-event', listener);
        return () => this.updates.off('case-event', listener);
      },
    };
  }

  /** Opens a case, as the conversation pipeline would (the pool given, not routed). */
  async open(input: TestCase): Promise<Case> {
    const reason = input.reason ?? 'user_request';
    const c: Case = {
      conversationKey: `web:${randomUUID()}`,
      channel: 'web',
      userId: randomUUID(),
      language: 'en',
      brief: 'The user asked for an advisor.',
      createdAt: new Date().toISOString(),
      ...input,
      reason,
      priority: input.priority ?? priorityFor(reason),
      id: randomUUID(),
      status: 'open',
    };
    this.cases.set(c.id, c);
    this.history.set(c.id, []);
    await this.append(c, { type: 'opened', at: c.createdAt });
    return structuredClone(c);
  }

  /** What the user wrote while the case is active, as the pipeline records it. */
  async userSays(caseId: string, text: string): Promise<void> {
    const c = this.cases.get(caseId);
    if (!c) throw new Error(`no case ${caseId}`);
    await this.append(c, { type: 'user_message', at: new Date().toISOString(), text });
  }

  async get(caseId: string): Promise<Case | undefined> {
    const c = this.cases.get(caseId);
    return c && structuredClone(c);
  }

  async list(pools: string[], statuses: CaseStatus[] = ['open', 'claimed']): Promise<Case[]> {
    return [...this.cases.values()]
      .filter((c) => pools.includes(c.pool) && (c.status === 'open' || c.status === 'claimed') && statuses.includes(c.status))
      .sort((a, b) => RANK[a.priority] - RANK[b.priority] || Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .map((c) => structuredClone(c));
  }

  async events(caseId: string, afterId?: string): Promise<CaseEvent[]> {
    const all = this.history.get(caseId) ?? [];
    const from = afterId === undefined ? 0 : all.findIndex((event) => compareIds(event.id, afterId) > 0);
    return from < 0 ? [] : structuredClone(all.slice(from));
  }

  async claim(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'claim', (c) => ({ type: 'claimed', at: c.updatedAt!, advisor }));
  }

  async handOver(caseId: string, advisor: AdvisorRef, to: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    if (to.id === advisor.id) return { ok: false, reason: 'not_allowed' };
    return this.act(caseId, advisor, pools, 'handover', (c) => ({ type: 'handed_over', at: c.updatedAt!, advisor, to }), undefined, to);
  }

  async release(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'release', (c) => ({ type: 'released', at: c.updatedAt!, advisor }));
  }

  async transfer(caseId: string, advisor: AdvisorRef, toPool: string, pools?: string[]): Promise<ActionResult> {
    if (!this.pools.byId.has(toPool)) return { ok: false, reason: 'not_found' };
    return this.act(caseId, advisor, pools, 'transfer', (c) => ({ type: 'transferred', at: c.updatedAt!, advisor, toPool }), toPool);
  }

  async resolve(caseId: string, advisor: AdvisorRef, outcome?: CaseOutcome, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'resolve', (c) => ({ type: 'resolved', at: c.updatedAt!, advisor, outcome }), outcome);
  }

  async reply(caseId: string, advisor: AdvisorRef, text: string, messageId: string, pools?: string[]): Promise<ActionResult> {
    const trimmed = text.trim();
    const key = `${caseId}:advisor:${messageId}`;
    return this.act(caseId, advisor, pools, 'reply', () => {
      if (trimmed === '' || this.seen.has(key)) return undefined; // the same message again: sent once
      this.seen.add(key);
      this.delivered.push({ caseId, advisor, text: trimmed });
      return { type: 'advisor_message', at: new Date().toISOString(), advisor, text: trimmed };
    });
  }

  async attachSlack(caseId: string, ref: { channel: string; ts: string }): Promise<void> {
    const c = this.cases.get(caseId);
    if (!c) return;
    c.slack = ref;
    this.slackThreads.set(`${ref.channel}:${ref.ts}`, caseId);
  }

  async findBySlackThread(channel: string, ts: string): Promise<Case | undefined> {
    const id = this.slackThreads.get(`${channel}:${ts}`);
    return id ? this.get(id) : undefined;
  }

  /** The check and the change in one synchronous step (no await between them): atomic as the Lua script. */
  private async act(caseId: string, advisor: AdvisorRef, pools: string[] | undefined, action: Action, event: (c: Case) => EventBody | undefined, arg?: string, to?: AdvisorRef): Promise<ActionResult> {
    const c = this.cases.get(caseId);
    if (!c) return { ok: false, reason: 'not_found' };
    if (pools && !pools.includes(c.pool)) return { ok: false, reason: 'not_allowed' };
    if (c.status === 'resolved' || c.status === 'cancelled') return { ok: false, reason: 'closed' };
    const heldByOther = c.status === 'claimed' && c.claimedBy?.id !== advisor.id;
    if (action === 'claim' ? c.status === 'claimed' : heldByOther) return { ok: false, reason: 'taken', heldBy: c.claimedBy, case: structuredClone(c) };
    if ((action === 'reply' || action === 'release' || action === 'handover') && c.status !== 'claimed') return { ok: false, reason: 'not_holder' };
    if (action === 'handover') Object.assign(c, { claimedBy: to, claimedAt: new Date().toISOString() });
    const now = new Date().toISOString();
    if (action !== 'reply') c.updatedAt = now;
    if (action === 'claim') Object.assign(c, { status: 'claimed', claimedBy: advisor, claimedAt: now });
    if (action === 'release' || action === 'transfer') {
      c.status = 'open';
      delete c.claimedBy;
      delete c.claimedAt;
    }
    if (action === 'transfer') c.pool = arg!;
    if (action === 'resolve') Object.assign(c, { status: 'resolved', closedAt: now, outcome: arg as CaseOutcome | undefined });
    const body = event(c);
    if (body) await this.append(c, body);
    return { ok: true, case: structuredClone(c) };
  }

  /** Appends with a stream-like id ("<ms>-<seq>", increasing) and announces it under the case's pool now. */
  private async append(c: Case, body: EventBody): Promise<string> {
    const ms = Date.now();
    this.seq = ms > this.lastMs ? 0 : this.seq + 1;
    this.lastMs = Math.max(ms, this.lastMs);
    const id = `${this.lastMs}-${this.seq}`;
    this.history.get(c.id)!.push({ ...body, id } as CaseEvent);
    const notice: CaseEventNotice = { caseId: c.id, pool: c.pool, eventId: id };
    this.updates.emit('case-event', notice);
    await this.publish?.(notice);
    return id;
  }
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
