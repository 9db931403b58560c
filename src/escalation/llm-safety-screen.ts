import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
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
    const content = typeof reply.content === 'string' ? reply.content : reply.content.map((part) => ('text' in part ? part.text : '')).join('');
    const word = content.trim().toLowerCase().match(/^[a-z_]+/)?.[0];
    return ANSWERS.find((answer) => answer === word);
  }
}
