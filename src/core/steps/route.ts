import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/**
 * While the conversation is with the advisors, the bot does not answer: the message is kept for
 * the advisor (relay comes with the handoff service) and the user is told once that they are waiting.
 * A safety signal still got its emergency contacts from the screen before this step.
 */
export function routeStep(deps: PipelineDeps): Step<TurnContext> {
  return async function route(ctx, next) {
    const conversation = ctx.conversation;
    if (conversation.state === 'bot') return next();
    const open = conversation.caseId ? await deps.cases.get(conversation.caseId) : undefined;
    if (!open || open.status === 'resolved') {
      // The case is gone (resolved, or erased by an advisor): the bot answers again.
      conversation.state = 'bot';
      conversation.caseId = undefined;
      return next();
    }
    const lastBot = [...conversation.turns].reverse().find((turn) => turn.role === 'bot');
    const waitingNotice = deps.translator.t(ctx.language, 'escalation.alreadyWaiting');
    if (ctx.result.escalation?.reason !== 'safety' && lastBot?.text !== waitingNotice) ctx.reply(waitingNotice);
  };
}
