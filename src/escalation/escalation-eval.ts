import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LANGUAGES } from '../core/knowledge.js';
import type { EscalationClassifier } from '../core/ports.js';

export const escalationMessageSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(LANGUAGES),
  expected: z.enum(['safety', 'sensitive', 'user_request', 'answerable', 'out_of_scope']),
});
export type EscalationMessage = z.infer<typeof escalationMessageSchema>;

export async function loadEscalationMessages(file: string): Promise<EscalationMessage[]> {
  return z.array(escalationMessageSchema).parse(JSON.parse(await readFile(file, 'utf8')));
}

export interface EscalationReport {
  /** Per signal: how many messages of that kind the classifier recognised as such. */
  recall: Record<'safety' | 'sensitive' | 'user_request', { found: number; of: number }>;
  /** Ordinary or unrelated messages the classifier flagged. */
  falseAlarms: { found: number; of: number };
  misses: { message: EscalationMessage; got: string | null }[];
}

/** The classifier's signals against the expected ones (low_confidence is retrieval's, not measured here). */
export function evaluateEscalation(classifier: EscalationClassifier, messages: EscalationMessage[]): EscalationReport {
  const report: EscalationReport = {
    recall: { safety: { found: 0, of: 0 }, sensitive: { found: 0, of: 0 }, user_request: { found: 0, of: 0 } },
    falseAlarms: { found: 0, of: 0 },
    misses: [],
  };
  for (const message of messages) {
    const got = classifier.classify(message.text) ?? null;
    if (message.expected === 'answerable' || message.expected === 'out_of_scope') {
      report.falseAlarms.of += 1;
      if (got) {
        report.falseAlarms.found += 1;
        report.misses.push({ message, got });
      }
      continue;
    }
    const entry = report.recall[message.expected];
    entry.of += 1;
    if (got === message.expected) entry.found += 1;
    else report.misses.push({ message, got });
  }
  return report;
}

export function formatEscalationReport(report: EscalationReport): string {
  const line = (name: string, { found, of }: { found: number; of: number }) => `  ${name.padEnd(13)} ${found}/${of}${of ? ` (${((100 * found) / of).toFixed(0)}%)` : ''}`;
  return [
    ...Object.entries(report.recall).map(([name, value]) => line(name, value)),
    line('false alarms', report.falseAlarms),
  ].join('\n');
}
