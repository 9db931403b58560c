import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { EscalationReason } from '../core/answer.js';
import { foldLetters } from '../core/text/normalize-text.js';

/**
 * One question of an answer-level set: the facts a right answer must contain (each an inner list
 * of alternatives), and what it must not say (a wrong figure often seen).
 */
export const answerQuestionSchema = z.object({
  q: z.string().min(1),
  lang: z.string().regex(/^[a-z]{2}$/),
  kind: z.string().optional(),
  facts: z.array(z.array(z.string().min(1)).min(1)).min(1),
  must_not: z.array(z.string().min(1)).default([]),
  source_url: z.string().optional(),
});
export type AnswerQuestion = z.infer<typeof answerQuestionSchema>;

export async function loadAnswerQuestions(file: string): Promise<AnswerQuestion[]> {
  return z.array(answerQuestionSchema).parse(JSON.parse(await readFile(file, 'utf8')));
}

/** What the user got for one question: the text before the sources, and whether it went to a human instead. */
export interface AnswerOutcome {
  text: string;
  escalated: EscalationReason | null;
  /** What "More" would add (the rest of the answer), if anything. */
  more?: string;
}

type Tally = { found: number; of: number };

export interface AnswerReport {
  /** Per language: answered (not handed to a human), with every required fact, without a forbidden one, within 80 words. */
  byLanguage: Record<string, { answered: Tally; right: Tally; rightWithMore: Tally; wrongFact: number; within80: Tally; words: number[] }>;
  all: { answered: Tally; right: Tally; rightWithMore: Tally; wrongFact: number; within80: Tally; words: number[] };
  /** The questions not answered right, with what the user got. */
  misses: { question: AnswerQuestion; outcome: AnswerOutcome }[];
}

/** A phrase as a whole token in a text (case, accents and scripts folded): "6" is not found in "16". */
export function mentions(text: string, phrase: string): boolean {
  const haystack = foldLetters(text.toLowerCase());
  const needle = foldLetters(phrase.toLowerCase()).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${needle}(?![\\p{L}\\p{N}])`, 'u').test(haystack);
}

/** The words of an answer before its sources (the line introducing "[1] …" and what follows are not counted). */
export function wordsBeforeSources(text: string): number {
  const at = text.search(/\n\[1\] /);
  const body = at >= 0 ? text.slice(0, at).replace(/\n[^\n]*$/, '') : text;
  return body.split(/\s+/).filter(Boolean).length;
}

const tally = (): Tally => ({ found: 0, of: 0 });
const entry = () => ({ answered: tally(), right: tally(), rightWithMore: tally(), wrongFact: 0, within80: tally(), words: [] as number[] });

/** Asks every question (through `ask`) and checks each answer for its facts. */
export async function evaluateAnswers(ask: (question: AnswerQuestion) => Promise<AnswerOutcome>, questions: AnswerQuestion[]): Promise<AnswerReport> {
  const report: AnswerReport = { byLanguage: {}, all: entry(), misses: [] };
  for (const question of questions) {
    const outcome = await ask(question);
    const answered = outcome.escalated === null;
    const hasFacts = answered && question.facts.every((alternatives) => alternatives.some((phrase) => mentions(outcome.text, phrase)));
    const withMore = `${outcome.text}\n${outcome.more ?? ''}`;
    const hasFactsWithMore = answered && question.facts.every((alternatives) => alternatives.some((phrase) => mentions(withMore, phrase)));
    const wrongWithMore = answered && question.must_not.some((phrase) => mentions(withMore, phrase));
    const wrong = answered && question.must_not.some((phrase) => mentions(outcome.text, phrase));
    const words = wordsBeforeSources(outcome.text);
    if (!hasFacts || wrong) report.misses.push({ question, outcome });
    for (const target of [(report.byLanguage[question.lang] ??= entry()), report.all]) {
      target.answered.of += 1;
      target.right.of += 1;
      target.rightWithMore.of += 1;
      if (hasFactsWithMore && !wrongWithMore) target.rightWithMore.found += 1;
      if (answered) {
        target.answered.found += 1;
        target.words.push(words);
        target.within80.of += 1;
        if (words <= 80) target.within80.found += 1;
      }
      if (hasFacts && !wrong) target.right.found += 1;
      if (wrong) target.wrongFact += 1;
    }
  }
  return report;
}

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

export function formatAnswerReport(report: AnswerReport): string {
  const pct = ({ found, of }: Tally) => `${found}/${of}${of ? ` (${((100 * found) / of).toFixed(0)}%)` : ''}`;
  const row = (name: string, e: AnswerReport['all']) =>
    `  ${name.padEnd(6)} answered ${pct(e.answered).padEnd(14)} right ${pct(e.right).padEnd(14)} with More ${pct(e.rightWithMore).padEnd(14)} wrong fact ${String(e.wrongFact).padEnd(4)} ≤80 words ${pct(e.within80).padEnd(14)} median words ${median(e.words)}`;
  return [row('all', report.all), ...Object.entries(report.byLanguage).sort(([a], [b]) => a.localeCompare(b)).map(([lang, e]) => row(lang, e))].join('\n');
}
