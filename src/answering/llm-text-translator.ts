import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { TextTranslator } from '../core/ports.js';
import { chatReplyText } from './chat-reply-text.js';
import { llmError } from './llm-answerer.js';

/** Language names the model reads best, for the target line of the request. */
const NAMES: Record<string, string> = { en: 'English', de: 'German', fr: 'French', ar: 'Arabic', es: 'Spanish', sq: 'Albanian', sr: 'Serbian (Latin script)', vi: 'Vietnamese', ur: 'Urdu', id: 'Indonesian' };

/**
 * Translates between users and advisors with the configured LLM (prompts/translate.md). Throws
 * LLM_TIMEOUT or LLM_FAILED; callers then keep the original alone.
 */
export class LlmTextTranslator implements TextTranslator {
  constructor(
    private readonly model: BaseChatModel,
    private readonly instructions: string,
    private readonly timeoutMs: number,
  ) {}

  async translate(text: string, to: string): Promise<string> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const reply = await this.model.invoke([new SystemMessage(this.instructions), new HumanMessage(`Target language: ${NAMES[to] ?? to}\n<<<MESSAGE\n${text}\nMESSAGE>>>`)], { signal });
      return chatReplyText(reply).trim();
    } catch (cause) {
      throw llmError(cause, signal, 'the translation failed');
    }
  }
}
