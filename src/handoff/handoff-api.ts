import type { AdvisorRef, Case, CaseEvent, CaseOutcome, CaseStatus } from '../core/case.js';
import type { PoolDirectory } from './pools.js';

/** The answer to an advisor's action: the case as it is now, or why the action was refused. */
export type ActionResult =
  | { ok: true; case: Case }
  /** Another advisor holds the case (shown by name to the one who lost the race). */
  | { ok: false; reason: 'taken'; heldBy?: AdvisorRef; case: Case }
  /** The case is resolved or cancelled; or the advisor does not hold it; or it is not theirs to see. */
  | { ok: false; reason: 'closed' | 'not_holder' | 'not_found' | 'not_allowed' };

/**
 * What an advisor transport (the Slack app, the web console) may do with cases. Every action is
 * atomic in Redis: of two advisors claiming at once, exactly one wins. `pools`, where given, are
 * the pools the advisor belongs to: a case of another pool is `not_allowed` (the console's rule;
 * Slack passes none, since channel membership decides there).
 */
export interface HandoffApi {
  readonly pools: PoolDirectory;
  get(caseId: string): Promise<Case | undefined>;
  /** Cases of these pools, most urgent and oldest first. */
  list(pools: string[], statuses?: CaseStatus[]): Promise<Case[]>;
  /** The case's history (user and advisor messages, claims, transfers), oldest first, after an event id if given. */
  events(caseId: string, afterId?: string): Promise<CaseEvent[]>;
  claim(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult>;
  release(caseId: string, advisor: AdvisorRef, pools?: string[]): Promise<ActionResult>;
  /** To another pool: the case is open again there, with its history. */
  transfer(caseId: string, advisor: AdvisorRef, toPool: string, pools?: string[]): Promise<ActionResult>;
  /** The holder hands the case to a colleague (with its history), who holds it from then on; the user is told who. */
  handOver(caseId: string, advisor: AdvisorRef, to: AdvisorRef, pools?: string[]): Promise<ActionResult>;
  /** Hands the conversation back to Lotse and tells the user; the outcome counts in statistics. */
  resolve(caseId: string, advisor: AdvisorRef, outcome?: CaseOutcome, pools?: string[]): Promise<ActionResult>;
  /**
   * Sends the holder's message to the user on the user's channel, in order; `messageId` (the
   * platform's or the console's id of the advisor's message) makes a repeated call a no-op.
   */
  reply(caseId: string, advisor: AdvisorRef, text: string, messageId: string, pools?: string[]): Promise<ActionResult>;
  /** Records where the case's Slack message is, so that replies in its thread find the case. */
  attachSlack(caseId: string, ref: { channel: string; ts: string }): Promise<void>;
  /** The case whose Slack message is `ts` in `channel` (a reply's `thread_ts`). */
  findBySlackThread(channel: string, ts: string): Promise<Case | undefined>;
}

/**
 * An advisor-side transport (the Slack app): shown every event of every case, in order per case,
 * by the sender role through a lane per case. Must be idempotent by event id (an event may be
 * shown twice after a crash). The web console needs none: it reads the case's events and listens
 * for changes itself.
 */
export interface AdvisorTransport {
  readonly name: string;
  notify(c: Case, event: CaseEvent): Promise<void>;
}
