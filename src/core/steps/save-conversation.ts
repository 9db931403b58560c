import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { deliverReplies } from './deliver-replies.js';

/** Saves the conversation with this turn; before consent, only the consent record (no message text). */
export function saveConversationStep(deps: PipelineDeps): Step<TurnContext> {
  return async function saveConversation(ctx, next) {
    if (ctx.skipSave) return next();
    // Replies first: a crash after the save would otherwise leave a saved turn whose replies never went out.
    await deliverReplies(deps, ctx);
    const conversation = ctx.conversation;
    const at = ctx.now.toISOString();
    if (ctx.storeMessage) {
      if (ctx.text) conversation.turns.push({ role: 'user', text: ctx.text, at });
      for (const reply of ctx.result.replies) conversation.turns.push({ role: 'bot', text: reply.text, at });
      conversation.turns = conversation.turns.slice(-deps.options.maxTurns);
    }
    conversation.updatedAt = at;
    await deps.conversations.save(conversation);
    await next();
  };
}
