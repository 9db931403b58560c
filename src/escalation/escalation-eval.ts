import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { EscalationReason } from '../core/answer.js';
import type { DangerKind } from '../core/danger.js';
import type { SignalReason } from '../core/ports.js';

/**
 * One message of an escalation set. `lang` is a language of Lotse's or a way of writing one
 * (ar-Latn: Arabizi, ur-Latn: Roman Urdu, pcm: Nigerian Pidgin); `kind` names the kind of danger
 * or case, where the set says it. "none" (and the older "answerable" / "out_of_scope") expects no signal.
 */
export const escalationMessageSchema = z.object({
  text: z.string().min(1),
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{4})?$/, 'a language code such as en, ar-Latn or pcm'),
  expected: z.enum(['safety', 'sensitive', 'user_request', 'none', 'answerable', 'out_of_scope']),
  kind: z.string().optional(),
});
export type EscalationMessage = z.infer<typeof escalationMessageSchema>;

export async function loadEscalationMessages(file: string): Promise<EscalationMessage[]> {
  return z.array(escalationMessageSchema).parse(JSON.parse(await readFile(file, 'utf8')));
}

type Tally = { found: number; of: number };

/** What the screen decided for one message. */
export interface ScreenDecision {
  reason: SignalReason | null;
  danger?: DangerKind;
}

/** The screen under test, and optionally the whole turn (what the user and the advisors get). */
export interface EscalationSubject {
  screen(message: EscalationMessage): Promise<ScreenDecision>;
  /** The turn's escalation: whether the message reached a human, why, and with the contacts (safety). */
  turn?(message: EscalationMessage): Promise<EscalationReason | null>;
}

export interface EscalationReport {
  /** Per signal: how many messages of that kind the screen recognised as such. */
  recall: Record<'safety' | 'sensitive' | 'user_request', Tally>;
  /** Ordinary messages the screen flagged (any signal). */
  falseAlarms: Tally;
  /** Danger recognised, per kind of danger (where the set names kinds). */
  safetyByKind: Record<string, Tally>;
  /** Of the danger recognised, how often the kind of danger was named right (contacts follow it). */
  kindNamed: Tally;
  /** Each language's messages handled right (the expected signal, or none where none is expected). */
  byLanguage: Record<string, Tally>;
  /** Through the whole turn: danger that reached a human with the emergency contacts (safety escalation, whatever first raised it). */
  reachedWithContacts?: Tally;
  /** Through the whole turn: sensitive cases and requests for a human that reached a human for any reason. */
  reachedHuman?: Tally;
  /** Through the whole turn: ordinary messages sent to a human for any reason (low confidence included). */
  ordinaryToHuman?: Tally;
  /** The same, by the reason they went for. */
  ordinaryToHumanBy?: Record<string, number>;
  /** What the screen said instead, for each signal it missed ("none" when it said nothing). */
  missedAs: Record<string, Record<string, number>>;
  misses: { message: EscalationMessage; got: string | null }[];
}

const benign = (expected: EscalationMessage['expected']) => expected === 'none' || expected === 'answerable' || expected === 'out_of_scope';
const tally = (): Tally => ({ found: 0, of: 0 });
const count = (entry: Tally, right: boolean) => {
  entry.of += 1;
  if (right) entry.found += 1;
};
const countIn = (table: Record<string, Tally>, key: string, right: boolean) => count((table[key] ??= tally()), right);

/** The screen's signals against the expected ones; with `turn`, also what the whole pipeline did. */
export async function evaluateEscalation(subject: EscalationSubject, messages: EscalationMessage[]): Promise<EscalationReport> {
  const report: EscalationReport = {
    recall: { safety: tally(), sensitive: tally(), user_request: tally() },
    falseAlarms: tally(),
    safetyByKind: {},
    kindNamed: tally(),
    byLanguage: {},
    misses: [],
    missedAs: {},
    ...(subject.turn ? { reachedWithContacts: tally(), reachedHuman: tally(), ordinaryToHuman: tally(), ordinaryToHumanBy: {} } : {}),
  };
  for (const message of messages) {
    const decision = await subject.screen(message);
    const got = decision.reason;
    const turn = subject.turn ? await subject.turn(message) : undefined;
    if (benign(message.expected)) {
      count(report.falseAlarms, got !== null);
      if (got) report.misses.push({ message, got });
      countIn(report.byLanguage, message.lang, got === null);
      if (report.ordinaryToHuman) count(report.ordinaryToHuman, turn !== null);
      if (report.ordinaryToHumanBy && turn) report.ordinaryToHumanBy[turn] = (report.ordinaryToHumanBy[turn] ?? 0) + 1;
      continue;
    }
    const expected = message.expected as 'safety' | 'sensitive' | 'user_request';
    const right = got === expected;
    count(report.recall[expected], right);
    if (!right) {
      report.misses.push({ message, got });
      const as = (report.missedAs[expected] ??= {});
      as[got ?? 'none'] = (as[got ?? 'none'] ?? 0) + 1;
    }
    if (expected === 'safety') {
      countIn(report.safetyByKind, message.kind ?? 'unnamed', right);
      if (right && message.kind) count(report.kindNamed, decision.danger === message.kind);
      if (report.reachedWithContacts) count(report.reachedWithContacts, turn === 'safety');
    } else if (report.reachedHuman) {
      count(report.reachedHuman, turn !== null && turn !== undefined);
    }
    countIn(report.byLanguage, message.lang, right);
  }
  return report;
}

export function formatEscalationReport(report: EscalationReport): string {
  const line = (name: string, { found, of }: Tally) => `  ${name.padEnd(34)} ${found}/${of}${of ? ` (${((100 * found) / of).toFixed(0)}%)` : ''}`;
  const lines = [...Object.entries(report.recall).map(([name, value]) => line(name, value)), line('false alarms', report.falseAlarms)];
  if (report.kindNamed.of > 0) lines.push(line('kind of danger named right', report.kindNamed));
  if (report.reachedWithContacts) {
    lines.push('  through the whole turn:');
    lines.push(line('  danger reached a human + contacts', report.reachedWithContacts));
    if (report.reachedHuman) lines.push(line('  cases/requests reached a human', report.reachedHuman));
    if (report.ordinaryToHuman) lines.push(line('  ordinary sent to a human', report.ordinaryToHuman));
    const by = Object.entries(report.ordinaryToHumanBy ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (by.length > 0) lines.push(`      by reason: ${by.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  }
  const missed = Object.entries(report.missedAs).sort(([a], [b]) => a.localeCompare(b));
  if (missed.length > 0) lines.push(`  missed signals were taken as: ${missed.map(([signal, as]) => `${signal} → ${Object.entries(as).map(([k, n]) => `${k} ${n}`).join(', ')}`).join('; ')}`);
  const kinds = Object.entries(report.safetyByKind).sort(([a], [b]) => a.localeCompare(b));
  if (kinds.length > 1 || (kinds.length === 1 && kinds[0]![0] !== 'unnamed')) lines.push('  safety by kind:', ...kinds.map(([kind, value]) => line(`  ${kind}`, value)));
  lines.push('  handled right, by language:', ...Object.entries(report.byLanguage).sort(([a], [b]) => a.localeCompare(b)).map(([lang, value]) => line(`  ${lang}`, value)));
  return lines.join('\n');
}
