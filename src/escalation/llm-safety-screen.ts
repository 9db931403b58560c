import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { chatReplyText } from '../answering/chat-reply-text.js';
import type { SemanticScreen, SignalReason } from '../core/ports.js';

const ANSWERS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

/**
 * A second screen for what patterns cannot foresee (indirect wording, dialects, new tricks): the
 * configured LLM classifies the (redacted) message into one of the contract's reasons, or none.
 */
export class LlmSafetyScreen implements SemanticScreen {
  constructor(
    private readonly model: BaseChatModel,
    private readonly instructions: string,
    private readonly timeoutMs: number,
  ) {}

  async classify(text: string): Promise<SignalReason | undefined> {
    const reply = await this.model.invoke([new SystemMessage(this.instructions), new HumanMessage(`<<<MESSAGE\n${text}\nMESSAGE>>>`)], {
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const word = chatReplyText(reply).toLowerCase().match(/^[a-z_]+/)?.[0];
    return ANSWERS.find((answer) => answer === word);
  }
}
