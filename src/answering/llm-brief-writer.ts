import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { BriefWriter } from '../core/ports.js';
import { chatReplyText } from './chat-reply-text.js';
import { llmError } from './llm-answerer.js';

/** Summarises a redacted transcript for the advisor who takes the case over (prompts/case-summary.md). Throws LLM_TIMEOUT or LLM_FAILED. */
export class LlmBriefWriter implements BriefWriter {
  constructor(
    private readonly model: BaseChatModel,
    private readonly instructions: string,
    private readonly timeoutMs: number,
  ) {}

  async summarize(transcript: string[]): Promise<string> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const reply = await this.model.invoke([new SystemMessage(this.instructions), new HumanMessage(`<<<CONVERSATION\n${transcript.join('\n')}\nCONVERSATION>>>`)], { signal });
      return chatReplyText(reply).trim();
    } catch (cause) {
      throw llmError(cause, signal, 'the case summary failed');
    }
  }
}
