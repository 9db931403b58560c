import type { AdvisorRef, Case, CaseEvent, CaseOutcome, CaseStatus, ChannelNotice, NewCase } from '../core/case.js';
import type { DangerKind } from '../core/danger.js';
import { RTL_LANGUAGES, isLanguage, type Language } from '../core/knowledge.js';
import type { OutboundMessage } from '../core/message.js';
import type { CaseStore, TextTranslator, Translator } from '../core/ports.js';
import type { ActionResult, HandoffApi } from './handoff-api.js';
import type { CaseRepository, NewCaseEvent, Transition } from './case-repository.js';
import type { PoolDirectory } from './pools.js';

/** Where new case events go: advisors' live views (console) and transports (Slack), and the SLA timers. */
export interface HandoffSignals {
  /** A case event happened: shown to the advisors (published and queued for the transports). */
  announce(c: Case, eventId: string, event: CaseEvent): Promise<void>;
  /** Starts (or moves on) the SLA timer of an unclaimed case. */
  scheduleSla(c: Case, step: number, delayMs: number): Promise<void>;
}

/** Tells the user what happens to their case, on their channel, through the outbound lanes. */
export interface UserOutbox {
  deliver(replies: OutboundMessage[]): Promise<void>;
}

export interface HandoffServiceDeps {
  repository: CaseRepository;
  pools: PoolDirectory;
  translator: Translator;
  signals?: HandoffSignals;
  outbox?: UserOutbox;
  /** With an LLM configured: messages are translated between the user's and the advisors' language. */
  textTranslator?: TextTranslator;
  /** Told of a failed translation (the original is used alone), and of a failing observer. */
  onError?: (error: unknown, where: string) => void;
  /** Told of every new event of every case, once (metrics, statistics); a failing observer changes nothing for the case. */
  observers?: CaseObserver[];
}

/** Sees each case event once, as it is recorded (with the case as it stands after it). */
export type CaseObserver = (c: Case, event: CaseEvent) => void | Promise<void>;

const MINUTE = 60_000;

/**
 * The handoff: cases opened by the conversation pipeline (routed to a pool, queued by priority,
 * with SLA timers), and what advisors do with them from Slack or the console (claim, release,
 * transfer, resolve, reply). Every state change is an atomic transition in Redis and an event in
 * the case's history; the user is told of each change in their language, on their channel.
 */
export class HandoffService implements HandoffApi, CaseStore {
  readonly pools: PoolDirectory;
  private readonly repo: CaseRepository;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.pools = deps.pools;
    this.repo = deps.repository;
  }

  // --- the conversation pipeline's side (CaseStore) ---

  async open(input: NewCase): Promise<Case> {
    const { pool } = this.pools.route(input);
    const created = await this.repo.create({ ...input, pool: input.pool ?? pool.id });
    await this.event(created, { type: 'opened', at: created.createdAt });
    await this.deps.signals?.scheduleSla(created, 1, this.pools.slaMinutes(created.pool, created.priority) * MINUTE);
    return created;
  }

  get(id: string): Promise<Case | undefined> {
    return this.repo.get(id);
  }

  findOpen(conversationKey: string): Promise<Case | undefined> {
    return this.repo.findActive(conversationKey);
  }

  deleteForConversation(conversationKey: string): Promise<number> {
    return this.repo.deleteForConversation(conversationKey);
  }

  async waitInfo(c: Case, fallbackMinutes: number): Promise<{ ahead: number; minutes: number }> {
    const { ahead, medianWaitMs } = await this.repo.queueInfo(c);
    if (medianWaitMs === undefined) return { ahead, minutes: fallbackMinutes };
    // The pool's recent median time to claim, once for this case and once for each case ahead.
    return { ahead, minutes: Math.max(1, Math.round(((ahead + 1) * medianWaitMs) / MINUTE)) };
  }

  async record(c: Case, event: { type: 'user_message' | 'bot_answer'; text: string; media?: { kind: string; ref?: string } }, dedupeKey: string): Promise<void> {
    // The advisors read the user in their own language, the original beside it.
    const translation = event.type === 'user_message' && event.text ? await this.translate(event.text, c.language, this.pools.get(c.pool).advisorLanguage) : undefined;
    await this.event(c, { ...event, at: new Date().toISOString(), ...(translation ? { translation } : {}) } as NewCaseEvent, dedupeKey);
  }

  async cancel(c: Case): Promise<void> {
    const done = await this.repo.transition(c.id, 'cancel', undefined, '', undefined, c);
    if (done.ok) await this.event(c, { type: 'cancelled', at: new Date().toISOString() });
  }

  async preferWoman(c: Case): Promise<boolean> {
    await this.repo.setWantsWoman(c.id);
    const { pool, womanAvailable } = this.pools.route({ ...c, wantsWoman: true });
    if (womanAvailable && pool.id !== c.pool && c.status === 'open') {
      await this.repo.transition(c.id, 'transfer', undefined, pool.id, undefined, c);
      await this.event({ ...c, pool: pool.id }, { type: 'transferred', at: new Date().toISOString(), advisor: { id: 'lotse', name: 'Lotse', via: 'console' }, toPool: pool.id });
    }
    return womanAvailable;
  }

  async raiseToSafety(c: Case, danger: DangerKind | undefined): Promise<void> {
    if (c.priority === 'urgent' && c.reason === 'safety') return;
    await this.repo.raiseToSafety(c, danger);
    const raised = (await this.repo.get(c.id)) ?? c;
    await this.event(raised, { type: 'raised', at: new Date().toISOString(), ...(danger ? { danger } : {}) });
    if (raised.status === 'open') await this.deps.signals?.scheduleSla(raised, 1, this.pools.slaMinutes(raised.pool, 'urgent') * MINUTE);
  }

  // --- the channels' side ---

  /**
   * The conversation's channel limits what the advisors can send (WhatsApp's 24-hour window): kept in
   * the open case's history and shown to the advisors; nothing when no case is open. A channel may
   * say the same thing more than once (retries, several processes), so each is recorded once per
   * window: a warning by its closing time; a closure by the user's last message in the case, since
   * each message they write opens a new window that may close again.
   */
  async noticeChannel(conversationKey: string, notice: ChannelNotice): Promise<void> {
    const c = await this.findOpen(conversationKey);
    if (!c) return;
    const windowKey = notice.kind === 'window_closing' ? notice.closesAt : ((await this.repo.events(c.id)).findLast((e) => e.type === 'user_message')?.id ?? '');
    await this.event(c, { type: 'channel_notice', at: new Date().toISOString(), notice }, `notice:${notice.kind}:${windowKey}`);
  }

  // --- the advisors' side (HandoffApi) ---

  async list(pools: string[], statuses: CaseStatus[] = ['open', 'claimed']): Promise<Case[]> {
    return (await this.repo.listActive(pools)).filter((c) => statuses.includes(c.status));
  }

  events(caseId: string, afterId?: string): Promise<CaseEvent[]> {
    return this.repo.events(caseId, afterId);
  }

  async claim(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'claim', '', async (c) => {
      await this.event(c, { type: 'claimed', at: new Date().toISOString(), advisor });
      await this.tellUser(c, 'handoff.claimed', `claimed-${Date.now()}`, { name: advisor.name });
    });
  }

  async release(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'release', '', async (c) => {
      await this.event(c, { type: 'released', at: new Date().toISOString(), advisor });
      await this.tellUser(c, 'handoff.released', `released-${Date.now()}`);
      await this.deps.signals?.scheduleSla(c, 1, this.pools.slaMinutes(c.pool, c.priority) * MINUTE);
    });
  }

  async transfer(caseId: string, advisor: AdvisorRef, toPool: string, pools?: string[]): Promise<ActionResult> {
    if (!this.pools.byId.has(toPool)) return { ok: false, reason: 'not_found' };
    return this.act(caseId, advisor, pools, 'transfer', toPool, async (c) => {
      await this.event(c, { type: 'transferred', at: new Date().toISOString(), advisor, toPool });
      await this.tellUser(c, 'handoff.transferred', `transferred-${Date.now()}`);
      await this.deps.signals?.scheduleSla(c, 1, this.pools.slaMinutes(toPool, c.priority) * MINUTE);
    });
  }

  async handOver(caseId: string, advisor: AdvisorRef, to: AdvisorRef, pools?: string[]): Promise<ActionResult> {
    if (to.id === advisor.id) return { ok: false, reason: 'not_allowed' };
    return this.act(caseId, advisor, pools, 'handover', '', async (c) => {
      await this.event(c, { type: 'handed_over', at: new Date().toISOString(), advisor, to });
      await this.tellUser(c, 'handoff.claimed', `handed-over-${Date.now()}`, { name: to.name });
    }, to);
  }

  async resolve(caseId: string, advisor: AdvisorRef, outcome?: CaseOutcome, pools?: string[]): Promise<ActionResult> {
    return this.act(caseId, advisor, pools, 'resolve', outcome ?? '', async (c) => {
      await this.event(c, { type: 'resolved', at: new Date().toISOString(), advisor, outcome });
      await this.tellUser(c, 'escalation.handedBack', 'resolved');
    });
  }

  async reply(caseId: string, advisor: AdvisorRef, text: string, messageId: string, pools?: string[]): Promise<ActionResult> {
    const trimmed = text.trim();
    return this.act(caseId, advisor, pools, 'reply', '', async (c) => {
      if (trimmed === '') return;
      // The user reads the advisor in their own language; the advisors see both.
      const translation = await this.translate(trimmed, this.pools.get(c.pool).advisorLanguage, c.language);
      const eventId = await this.event(c, { type: 'advisor_message', at: new Date().toISOString(), advisor, text: trimmed, ...(translation ? { translation } : {}) }, `advisor:${messageId}`);
      if (eventId === undefined) return; // the same message again (a redelivered Slack event): sent once
      await this.deps.outbox?.deliver([this.userReply(c, `advisor-${messageId}`, translation ?? trimmed)]);
    });
  }

  attachSlack(caseId: string, ref: { channel: string; ts: string }): Promise<void> {
    return this.repo.attachSlack(caseId, ref);
  }

  findBySlackThread(channel: string, ts: string): Promise<Case | undefined> {
    return this.repo.findBySlackThread(channel, ts);
  }

  /** The SLA timer of an unclaimed case fired: remind the pool (and supervisors), or give up honestly past the pool's limit. */
  async slaDue(caseId: string, step: number, now = new Date()): Promise<'done' | 'reminded' | 'expired' | 'later'> {
    const c = await this.repo.get(caseId);
    if (!c || c.status !== 'open') return 'done';
    const pool = this.pools.get(c.pool);
    if (now.getTime() - Date.parse(c.createdAt) >= pool.maxWaitMinutes * MINUTE) {
      const done = await this.repo.transition(c.id, 'cancel', undefined, '', undefined, c);
      if (!done.ok) return 'done';
      await this.event(c, { type: 'cancelled', at: now.toISOString() });
      await this.tellUser(c, 'handoff.expired', 'expired');
      return 'expired';
    }
    if (!this.pools.isOpen(c.pool, now)) {
      await this.deps.signals?.scheduleSla(c, step, 15 * MINUTE);
      return 'later';
    }
    await this.event(c, { type: 'sla_reminder', at: now.toISOString(), step }, `sla:${step}`);
    const next = step < 3 ? this.pools.slaMinutes(c.pool, c.priority) * MINUTE : pool.maxWaitMinutes * MINUTE - (now.getTime() - Date.parse(c.createdAt));
    await this.deps.signals?.scheduleSla(c, step + 1, Math.max(1_000, next));
    return 'reminded';
  }

  /** A translation when the languages differ and a translator is configured; undefined otherwise or on failure. */
  private async translate(text: string, from: string, to: string): Promise<string | undefined> {
    if (!this.deps.textTranslator || from === to) return undefined;
    try {
      const translated = await this.deps.textTranslator.translate(text, to);
      return translated && translated !== text ? translated : undefined;
    } catch (error) {
      this.deps.onError?.(error, 'translation');
      return undefined;
    }
  }

  /** Checks the advisor's pools, runs the transition, and on success the follow-up. */
  private async act(caseId: string, advisor: AdvisorRef, pools: string[] | undefined, action: 'claim' | 'release' | 'transfer' | 'resolve' | 'reply' | 'handover', arg: string, then: (c: Case) => Promise<void>, to?: AdvisorRef): Promise<ActionResult> {
    const before = await this.repo.get(caseId);
    if (!before) return { ok: false, reason: 'not_found' };
    if (pools && !pools.includes(before.pool)) return { ok: false, reason: 'not_allowed' };
    const done: Transition = await this.repo.transition(caseId, action, advisor, arg, to, before);
    if (!done.ok) {
      if (done.reason === 'taken') return { ok: false, reason: 'taken', heldBy: done.holder, case: before };
      return { ok: false, reason: done.reason };
    }
    const after = (await this.repo.get(caseId)) ?? before;
    await then(after);
    return { ok: true, case: after };
  }

  private async event(c: Case, event: NewCaseEvent, dedupeKey?: string): Promise<string | undefined> {
    const eventId = await this.repo.appendEvent(c.id, event, dedupeKey, c.conversationKey);
    if (eventId === undefined) return undefined;
    const recorded = { ...event, id: eventId } as CaseEvent;
    await this.deps.signals?.announce(c, eventId, recorded);
    for (const observe of this.deps.observers ?? []) {
      try {
        await observe(c, recorded);
      } catch (error) {
        this.deps.onError?.(error, 'case observer');
      }
    }
    return eventId;
  }

  private async tellUser(c: Case, key: string, idSuffix: string, params?: Record<string, unknown>): Promise<void> {
    const language: Language = isLanguage(c.language) ? c.language : 'en';
    await this.deps.outbox?.deliver([this.userReply(c, idSuffix, this.deps.translator.t(language, key, params))]);
  }

  private userReply(c: Case, idSuffix: string, text: string): OutboundMessage {
    const language: Language = isLanguage(c.language) ? c.language : 'en';
    return { id: `case:${c.id}:${idSuffix}`, channel: c.channel, userId: c.userId, text, language, direction: RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr' };
  }
}
