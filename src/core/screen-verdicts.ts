import type { DangerKind } from './danger.js';
import type { ScreenVerdict, SemanticVerdict, SignalReason } from './ports.js';

/** What the two screens decided together. */
export interface CombinedVerdict {
  reason?: SignalReason;
  danger?: DangerKind;
  /** Danger, or a risk signal: any escalation of the turn becomes a safety one. */
  atRisk: boolean;
  /** A request for a human that only the offline model saw, and not surely: offered, not imposed. */
  tentative?: boolean;
}

/**
 * Either screen can raise safety (a missed danger is the worst failure); otherwise the offline
 * screen's reason stands and the LLM's fills in where it found none. The LLM's kind of danger is
 * preferred when it saw danger (it reads meaning, the classifier reads letters).
 */
export function combineVerdicts(offline: ScreenVerdict, llm: SemanticVerdict = {}): CombinedVerdict {
  const safety = offline.reason === 'safety' || llm.reason === 'safety';
  if (safety) return { reason: 'safety', danger: (llm.reason === 'safety' ? llm.danger : undefined) ?? offline.danger, atRisk: true };
  const reason = offline.reason ?? llm.reason;
  // The LLM reading the same request confirms it.
  const tentative = reason === 'user_request' && offline.tentative === true && llm.reason !== 'user_request';
  return { reason, danger: offline.atRisk ? offline.danger : undefined, atRisk: offline.atRisk, ...(tentative ? { tentative } : {}) };
}
