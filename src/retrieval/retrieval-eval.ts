import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language, type Retriever } from '../core/knowledge.js';

export const evalQuestionSchema = z.object({
  q: z.string().min(2),
  lang: z.enum(LANGUAGES),
  /** English base ids that answer the question; a hit is any passage of one of them, in any language. */
  expected: z.array(z.string()).min(1),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

export interface LanguageScore {
  language: Language;
  questions: number;
  hitAt1: number;
  hitAt3: number;
}

export interface EvalReport {
  perLanguage: LanguageScore[];
  overall: Omit<LanguageScore, 'language'>;
  misses: { question: EvalQuestion; got: string[] }[];
}

/** Reads every question file (JSON arrays) in a folder. */
export async function loadEvalQuestions(dir: string): Promise<EvalQuestion[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const questions: EvalQuestion[] = [];
  for (const file of files) {
    const parsed = z.array(evalQuestionSchema).safeParse(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    questions.push(...parsed.data);
  }
  return questions;
}

/** hit@1 and hit@3 of a retriever on a question set, per language: is one of the first 1 or 3 documents retrieved an expected one? */
export async function evaluateRetrieval(retriever: Retriever, questions: EvalQuestion[]): Promise<EvalReport> {
  const tally = new Map<Language, { questions: number; at1: number; at3: number }>();
  const misses: EvalReport['misses'] = [];
  for (const question of questions) {
    const result = await retriever.retrieve({ text: question.q, language: question.lang, limit: 6 });
    // Document level: a retriever may return two sections of one document; count the first three documents.
    const got = [...new Set(result.passages.map((p) => p.meta.baseId))].slice(0, 3);
    const expected = new Set(question.expected);
    const entry = tally.get(question.lang) ?? { questions: 0, at1: 0, at3: 0 };
    entry.questions += 1;
    if (got[0] !== undefined && expected.has(got[0])) entry.at1 += 1;
    if (got.slice(0, 3).some((id) => expected.has(id))) entry.at3 += 1;
    else misses.push({ question, got });
    tally.set(question.lang, entry);
  }
  const perLanguage = LANGUAGES.filter((l) => tally.has(l)).map((language) => {
    const t = tally.get(language)!;
    return { language, questions: t.questions, hitAt1: t.at1 / t.questions, hitAt3: t.at3 / t.questions };
  });
  const total = [...tally.values()].reduce((a, t) => ({ q: a.q + t.questions, at1: a.at1 + t.at1, at3: a.at3 + t.at3 }), { q: 0, at1: 0, at3: 0 });
  return { perLanguage, overall: { questions: total.q, hitAt1: total.at1 / total.q, hitAt3: total.at3 / total.q }, misses };
}

/** The report as a small table. */
export function formatEvalReport(report: EvalReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(5);
  const rows = report.perLanguage.map((s) => `  ${s.language}   ${String(s.questions).padStart(3)}  ${pct(s.hitAt1)}  ${pct(s.hitAt3)}`);
  const o = report.overall;
  return ['  lang    n  hit@1 hit@3', ...rows, `  all   ${String(o.questions).padStart(3)}  ${pct(o.hitAt1)}  ${pct(o.hitAt3)}`].join('\n');
}
