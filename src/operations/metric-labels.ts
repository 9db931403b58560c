import type { EscalationReason } from '../core/answer.js';
import { DANGER_KINDS } from '../core/danger.js';

/**
 * Label values come from small fixed sets, never from what a user or platform sent: anything
 * unknown becomes "other", so that no label can ever carry an identifier or text.
 */
export const OTHER = 'other';

/** A value of the set, or "other". */
export function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | typeof OTHER {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : OTHER;
}

/** The channels Lotse has (src/channels/registry.ts); the command line's own ones are counted too. */
export const CHANNEL_LABELS = ['telegram', 'whatsapp', 'web', 'cli'] as const;
export const channelLabel = (channel: unknown) => oneOf(CHANNEL_LABELS, channel);

export const REASON_LABELS: readonly EscalationReason[] = ['user_request', 'low_confidence', 'sensitive', 'safety'];
export const reasonLabel = (reason: unknown) => oneOf(REASON_LABELS, reason);

/** The kind of danger of a safety escalation; "none" for the other reasons, "unknown" when the screen could not tell. */
export function dangerLabel(reason: unknown, danger: unknown): string {
  if (reason !== 'safety') return 'none';
  return danger === undefined ? 'unknown' : oneOf(DANGER_KINDS, danger);
}

/** A pool id from the pools file (the operator's own names, a fixed set), or "other". */
export function poolLabel(pools: readonly string[], pool: unknown): string {
  return oneOf(pools, pool);
}
