import type { SourceRef } from '../core/answer.js';
import type { Language } from '../core/knowledge.js';
import type { Messages } from '../i18n/i18n.js';

/** The notes an answer may carry under its body. */
export interface AnswerNotes {
  /** A source is past its review date. */
  stale?: boolean;
}

/** The body with the notes a reader must see with it (a source past its review date). */
export function bodyWithNotes(messages: Messages, language: Language, body: string, notes: AnswerNotes = {}): string {
  const t = messages.for(language);
  return notes.stale ? `${body}\n\n*${t('answer.stale')}*` : body;
}

/**
 * The whole answer as plain text, for `ask --json` and the CLI: the body, then "Sources:" and one
 * numbered line per source with its as-of date and address, then the general-information note.
 */
export function answerText(messages: Messages, language: Language, body: string, sources: SourceRef[], numbers?: number[]): string {
  const t = messages.for(language);
  const lines = [body, '', `${t('answer.sources')}:`];
  sources.forEach((source, i) => lines.push(`[${numbers?.[i] ?? i + 1}] ${source.title}, ${t('answer.asOf', { date: source.asOf })}: ${source.url}`));
  lines.push('', t('answer.general'));
  return lines.join('\n');
}
