import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One message of a small-talk / out-of-scope set: none of them should reach an advisor. */
export const smallTalkSchema = z.object({ text: z.string().min(1), lang: z.string(), kind: z.enum(['greeting', 'thanks', 'chitchat', 'out_of_scope']) });
export type SmallTalkMessage = z.infer<typeof smallTalkSchema>;

export function loadSmallTalk(file: string): SmallTalkMessage[] {
  return z.array(smallTalkSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** What one message got: a case for the advisors, a knowledge answer, or neither (a friendly or "can't help" reply, a rephrase offer). */
export type SmallTalkOutcome = 'case' | 'answer' | 'reply';

type Counts = Record<SmallTalkOutcome, number> & { of: number };

export interface SmallTalkReport {
  byLanguage: Record<string, Counts>;
  byKind: Record<string, Counts>;
  all: Counts;
}

const counts = (): Counts => ({ case: 0, answer: 0, reply: 0, of: 0 });

export async function evaluateSmallTalk(ask: (message: SmallTalkMessage) => Promise<SmallTalkOutcome>, messages: SmallTalkMessage[]): Promise<SmallTalkReport> {
  const report: SmallTalkReport = { byLanguage: {}, byKind: {}, all: counts() };
  for (const message of messages) {
    const outcome = await ask(message);
    for (const target of [(report.byLanguage[message.lang] ??= counts()), (report.byKind[message.kind] ??= counts()), report.all]) {
      target[outcome] += 1;
      target.of += 1;
    }
  }
  return report;
}

export function formatSmallTalkReport(report: SmallTalkReport): string {
  const row = (name: string, c: Counts) => `  ${name.padEnd(13)} ${String(c.of).padStart(4)} messages   case ${String(c.case).padStart(3)}   knowledge answer ${String(c.answer).padStart(3)}   own reply ${String(c.reply).padStart(3)}`;
  return [
    row('all', report.all),
    ...Object.entries(report.byKind).map(([kind, c]) => row(kind, c)),
    ...Object.entries(report.byLanguage)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([lang, c]) => row(lang, c)),
  ].join('\n');
}
