import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { chatReplyText } from '../answering/chat-reply-text.js';
import { llmError } from '../answering/llm-answerer.js';
import { isDangerKind } from '../core/danger.js';
import type { SemanticScreen, SemanticVerdict, SignalReason } from '../core/ports.js';

const ANSWERS: SignalReason[] = ['safety', 'sensitive', 'user_request'];

/** Reads the screen's one-line answer: "safety medical_emergency", "sensitive", "user_request" or "none". */
export function parseScreenAnswer(answer: string): SemanticVerdict {
  const [first, second] = answer.toLowerCase().trim().split(/[\s:,.;/|-]+/);
  const reason = ANSWERS.find((candidate) => candidate === first);
  if (!reason) return {};
  return reason === 'safety' && isDangerKind(second) ? { reason, danger: second } : { reason };
}

/**
 * The semantic screen: the configured LLM reads every (redacted) message and names a reason and,
 * for danger, its kind (prompts/safety-screen.md). Throws LLM_TIMEOUT or LLM_FAILED; the pipeline
 * then keeps the offline screen's verdict.
 */
export class LlmSafetyScreen implements SemanticScreen {
  constructor(
    private readonly model: BaseChatModel,
    private readonly instructions: string,
    private readonly timeoutMs: number,
  ) {}

  async classify(text: string): Promise<SemanticVerdict> {
    // Aborts the HTTP request itself (not only the wait for it) once the deadline passes.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let reply;
    try {
      reply = await this.model.invoke([new SystemMessage(this.instructions), new HumanMessage(`<<<MESSAGE\n${text}\nMESSAGE>>>`)], { signal });
    } catch (cause) {
      throw llmError(cause, signal, 'the semantic safety screen failed');
    }
    return parseScreenAnswer(chatReplyText(reply));
  }
}
