import type { Answer } from '../core/answer.js';
import type { Language, Passage, RetrievalResult } from '../core/knowledge.js';
import type { Messages } from '../i18n/i18n.js';
import { citationsOf } from './citations.js';
import { excerpt } from './passage-excerpt.js';

export interface ExtractiveOptions {
  /** Passages quoted at most (default 2). */
  maxPassages?: number;
  /** A passage is quoted only when its score is at least this share of the best one's (default 0.6). */
  relativeScore?: number;
}

/**
 * The offline answer: the best passages quoted (in the user's language where the knowledge has
 * it, otherwise the closest available), framed in the user's language, with sources and as-of
 * dates, and a warning when a source is past its review date. It never writes a fact of its own.
 */
export class ExtractiveAnswerer {
  private readonly options: Required<ExtractiveOptions>;

  constructor(
    private readonly messages: Messages,
    options: ExtractiveOptions = {},
  ) {
    this.options = { maxPassages: 2, relativeScore: 0.6, ...options };
  }

  /** Picks the passages to quote: the best ones, preferring one language so the answer reads as one text. */
  select(result: RetrievalResult, language: Language): Passage[] {
    const [best] = result.passages;
    if (!best) return [];
    const good = result.passages.filter((p) => p.score >= best.score * this.options.relativeScore);
    const own = good.filter((p) => p.meta.language === language);
    const answerLanguage = own.length > 0 ? language : best.meta.language;
    return good.filter((p) => p.meta.language === answerLanguage).slice(0, this.options.maxPassages);
  }

  answer(question: string, language: Language, result: RetrievalResult): Answer {
    const t = this.messages.for(language);
    const passages = result.confident ? this.select(result, language) : [];
    if (passages.length === 0) {
      return { language, answer: t('answer.notFound'), sources: [], escalate: true, reason: 'low_confidence' };
    }
    const sources = citationsOf(passages);
    const lines: string[] = [t('answer.intro'), ''];
    const passageLanguage = passages[0]!.meta.language;
    if (passageLanguage !== language) lines.push(`(${t('answer.otherLanguage', { language: t(`languageName.${passageLanguage}`) })})`, '');
    for (const passage of passages) {
      const heading = passage.chunk.headings.at(-1);
      if (heading) lines.push(`*${heading}*`);
      lines.push(excerpt(question, passage.chunk.text), '');
    }
    lines.push(`${t('answer.sources')}:`);
    sources.forEach((source, i) => lines.push(`[${i + 1}] ${source.title}, ${t('answer.asOf', { date: source.asOf })}: ${source.url}`));
    if (passages.some((p) => p.stale)) lines.push('', t('answer.stale'));
    lines.push('', t('answer.general'));
    return { language, answer: lines.join('\n'), sources, escalate: false, reason: null };
  }
}
