import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Answer } from '../core/answer.js';
import { LotseError } from '../core/errors.js';
import type { Answerer, AnswerInput } from '../core/ports.js';
import type { Messages } from '../i18n/i18n.js';
import { chatReplyText } from './chat-reply-text.js';
import { answerText, bodyWithNotes } from './answer-text.js';
import { citationsOf } from './citations.js';
import type { ExtractiveAnswerer } from './extractive-answerer.js';
import type { PromptTemplate } from './prompt-templates.js';

export interface LlmAnswererOptions {
  /** Milliseconds before the LLM is abandoned for the offline answer. */
  timeoutMs: number;
  /** Passages given to the model (default 4). */
  maxPassages?: number;
  /** Told when the LLM failed and the offline answer was used. */
  onFallback?: (error: LotseError) => void;
}

const NOT_COVERED = 'NOT_COVERED';
const englishName = new Intl.DisplayNames(['en'], { type: 'language' });

/** A failed model call as a coded error: LLM_TIMEOUT when its deadline passed (or the client's own timeout), else LLM_FAILED. */
export function llmError(cause: unknown, signal: AbortSignal, what: string): LotseError {
  const error = cause as Error;
  const timedOut = signal.aborted || error?.name === 'TimeoutError' || error?.name === 'AbortError';
  return new LotseError(timedOut ? 'LLM_TIMEOUT' : 'LLM_FAILED', `${what}: ${error?.message ?? String(cause)}`, { cause });
}

/**
 * Grounded generation: the model writes a short answer in the user's language from the retrieved
 * passages only, citing them as [n] (renumbered to the sources listed); Lotse itself lists the
 * sources with their as-of dates, so citations can never be invented. A timeout or an error falls back to the offline answer.
 */
export class LlmAnswerer implements Answerer {
  constructor(
    private readonly model: BaseChatModel,
    private readonly prompts: { system: PromptTemplate; user: PromptTemplate },
    private readonly extractive: ExtractiveAnswerer,
    private readonly messages: Messages,
    private readonly options: LlmAnswererOptions,
  ) {}

  async answer(input: AnswerInput): Promise<Answer> {
    const { question, language, retrieval } = input;
    const offline = () => this.extractive.answer(question, language, retrieval);
    if (!retrieval.confident) return offline();
    const passages = retrieval.passages.slice(0, this.options.maxPassages ?? 4);
    const languageName = englishName.of(language) ?? language;
    const system = this.prompts.system.render({ language: languageName });
    const user = this.prompts.user.render({
      language: languageName,
      question,
      history: input.history.map((turn) => `${turn.role}: ${turn.text}`).join('\n') || '(none)',
      passages: passages
        .map((p, i) => `[${i + 1}] ${p.meta.title} (source: ${p.meta.sourceUrls[0] ?? ''}, as of ${p.meta.asOf})\n${[...p.chunk.headings, p.chunk.text].join('\n')}`)
        .join('\n\n'),
    });
    let text: string;
    // The signal reaches the HTTP client, which aborts the request and closes its connection: a
    // hung server costs a turn timeoutMs, retries included, and no socket stays open behind it.
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const reply = await this.model.invoke([new SystemMessage(system), new HumanMessage(user)], { signal });
      text = chatReplyText(reply);
      if (text === '') throw new Error('the model returned an empty answer');
    } catch (cause) {
      this.options.onFallback?.(llmError(cause, signal, 'LLM answer failed, the offline answer was used'));
      return offline();
    }
    if (text.includes(NOT_COVERED)) {
      return { language, answer: this.messages.for(language)('answer.notFound'), sources: [], escalate: true, reason: 'low_confidence' };
    }
    // List the passages the model cited, under the numbers it used; if it cited none, all it was given.
    const numbered = passages.map((passage, i) => ({ passage, n: i + 1 }));
    const cited = numbered.filter(({ n }) => text.includes(`[${n}]`));
    const listed = cited.length > 0 ? cited : numbered;
    const sources = citationsOf(listed.map(({ passage }) => passage));
    // The channels number the sources 1, 2, ... in the order listed: the text's citations follow suit.
    const renumber = new Map(listed.map(({ passage, n }) => [n, sources.findIndex((s) => s.id === passage.meta.id) + 1]));
    const renumbered = text.replace(/\[(\d+)\]/g, (match, n: string) => (renumber.has(Number(n)) ? `[${renumber.get(Number(n))}]` : match));
    const body = bodyWithNotes(this.messages, language, renumbered, { stale: listed.some(({ passage }) => passage.stale) });
    return { language, answer: answerText(this.messages, language, body, sources), sources, escalate: false, reason: null, body };
  }
}
