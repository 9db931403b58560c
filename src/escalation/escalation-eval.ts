import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { EscalationClassifier } from '../core/ports.js';

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

export interface EscalationReport {
  /** Per signal: how many messages of that kind the classifier recognised as such. */
  recall: Record<'safety' | 'sensitive' | 'user_request', Tally>;
  /** Ordinary or unrelated messages the classifier flagged as safety or sensitive (or anything). */
  falseAlarms: Tally;
  /** Danger recognised, per kind of danger (where the set names kinds). */
  safetyByKind: Record<string, Tally>;
  /** Each language's messages handled right (the expected signal, or none where none is expected). */
  byLanguage: Record<string, Tally>;
  misses: { message: EscalationMessage; got: string | null }[];
}

const benign = (expected: EscalationMessage['expected']) => expected === 'none' || expected === 'answerable' || expected === 'out_of_scope';
const count = (tally: Record<string, Tally>, key: string, right: boolean) => {
  const entry = (tally[key] ??= { found: 0, of: 0 });
  entry.of += 1;
  if (right) entry.found += 1;
};

/** The classifier's signals against the expected ones (low_confidence is retrieval's, not measured here). */
export function evaluateEscalation(classifier: EscalationClassifier, messages: EscalationMessage[]): EscalationReport {
  const report: EscalationReport = {
    recall: { safety: { found: 0, of: 0 }, sensitive: { found: 0, of: 0 }, user_request: { found: 0, of: 0 } },
    falseAlarms: { found: 0, of: 0 },
    safetyByKind: {},
    byLanguage: {},
    misses: [],
  };
  for (const message of messages) {
    const got = classifier.classify(message.text) ?? null;
    if (benign(message.expected)) {
      report.falseAlarms.of += 1;
      if (got) {
        report.falseAlarms.found += 1;
        report.misses.push({ message, got });
      }
      count(report.byLanguage, message.lang, got === null);
      continue;
    }
    const expected = message.expected as 'safety' | 'sensitive' | 'user_request';
    const right = got === expected;
    const entry = report.recall[expected];
    entry.of += 1;
    if (right) entry.found += 1;
    else report.misses.push({ message, got });
    if (expected === 'safety') count(report.safetyByKind, message.kind ?? 'unnamed', right);
    count(report.byLanguage, message.lang, right);
  }
  return report;
}

export function formatEscalationReport(report: EscalationReport): string {
  const line = (name: string, { found, of }: Tally) => `  ${name.padEnd(28)} ${found}/${of}${of ? ` (${((100 * found) / of).toFixed(0)}%)` : ''}`;
  const lines = [...Object.entries(report.recall).map(([name, value]) => line(name, value)), line('false alarms', report.falseAlarms)];
  const kinds = Object.entries(report.safetyByKind).sort(([a], [b]) => a.localeCompare(b));
  if (kinds.length > 1 || (kinds.length === 1 && kinds[0]![0] !== 'unnamed')) lines.push('  safety by kind:', ...kinds.map(([kind, value]) => line(`  ${kind}`, value)));
  lines.push('  handled right, by language:', ...Object.entries(report.byLanguage).sort(([a], [b]) => a.localeCompare(b)).map(([lang, value]) => line(`  ${lang}`, value)));
  return lines.join('\n');
}
