import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { chatReplyText } from '../answering/chat-reply-text.js';
import { llmError } from '../answering/llm-answerer.js';
import type { SemanticScreen, SignalReason } from '../core/ports.js';

const ANSWERS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

/**
 * A second screen for what patterns cannot foresee (indirect wording, dialects, new tricks): the
 * configured LLM classifies the (redacted) message into one of the contract's reasons, or none.
 * Throws LLM_TIMEOUT or LLM_FAILED; the pipeline then keeps the patterns' verdict.
 */
export class LlmSafetyScreen implements SemanticScreen {
  constructor(
    private readonly model: BaseChatModel,
    private readonly instructions: string,
    private readonly timeoutMs: number,
  ) {}

  async classify(text: string): Promise<SignalReason | undefined> {
    // Aborts the HTTP request itself (not only the wait for it) once the deadline passes.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let reply;
    try {
      reply = await this.model.invoke([new SystemMessage(this.instructions), new HumanMessage(`<<<MESSAGE\n${text}\nMESSAGE>>>`)], { signal });
    } catch (cause) {
      throw llmError(cause, signal, 'the semantic safety screen failed');
    }
    const word = chatReplyText(reply).toLowerCase().match(/^[a-z_]+/)?.[0];
    return ANSWERS.find((answer) => answer === word);
  }
}
