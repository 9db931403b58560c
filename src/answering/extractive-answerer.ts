import type { Answer } from '../core/answer.js';
import type { Language, Passage, RetrievalResult } from '../core/knowledge.js';
import type { Messages } from '../i18n/i18n.js';
import { composeAnswer } from './answer-composer.js';
import { answerText, bodyWithNotes } from './answer-text.js';
import { citationsOf } from './citations.js';

export interface ExtractiveOptions {
  /** Passages considered at most (default 4). */
  maxPassages?: number;
  /** A passage is considered only when its score is at least this share of the best one's (default 0.6). */
  relativeScore?: number;
}

/**
 * The offline answer: a short answer built from the sentences of the best passages that answer
 * the question (in the user's language where the knowledge has it, otherwise the closest
 * available, saying so), with sources and as-of dates, a warning when a source is past its review
 * date, and the rest kept for "more". It never writes a fact of its own.
 */
export class ExtractiveAnswerer {
  private readonly options: Required<ExtractiveOptions>;

  constructor(
    private readonly messages: Messages,
    options: ExtractiveOptions = {},
  ) {
    this.options = { maxPassages: 4, relativeScore: 0.6, ...options };
  }

  /** The passages an answer may quote: the best ones, in any language (the composer prefers the user's). */
  select(result: RetrievalResult): Passage[] {
    const [best] = result.passages;
    if (!best) return [];
    return result.passages.filter((p) => p.score >= best.score * this.options.relativeScore).slice(0, this.options.maxPassages);
  }

  answer(question: string, language: Language, result: RetrievalResult): Answer {
    const t = this.messages.for(language);
    const passages = result.confident ? this.select(result) : [];
    const composed = passages.length > 0 ? composeAnswer(question, passages, { language }) : undefined;
    if (!composed || composed.body === '') {
      return { language, answer: t('answer.notFound'), sources: [], escalate: true, reason: 'low_confidence' };
    }
    const [first] = composed.cited;
    const sources = citationsOf(composed.cited);
    const passageLanguage = first!.meta.language;
    const note = passageLanguage !== language ? `*${t('answer.otherLanguage', { language: t(`languageName.${passageLanguage}`) })}*\n\n` : '';
    const body = bodyWithNotes(this.messages, language, `${note}${composed.body}`, { stale: composed.cited.some((p) => p.stale) });
    const more = composed.more ? { text: `${note}${composed.more}`, sources: citationsOf(composed.used) } : undefined;
    return { language, answer: answerText(this.messages, language, body, sources), sources, escalate: false, reason: null, body, ...(more ? { more } : {}) };
  }
}
