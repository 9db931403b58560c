import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** While the case waits, what Lotse answered is shown to the advisors beside the question. */
export function showAnswerToAdvisorStep(deps: PipelineDeps): Step<TurnContext> {
  return async function showAnswerToAdvisor(ctx, next) {
    const waiting = ctx.waitingCase;
    const text = ctx.result.replies.map((reply) => reply.text).join('\n\n');
    if (waiting && text) await deps.cases.record(waiting, { type: 'bot_answer', text: deps.redactor.redact(text) }, `${ctx.message.id}:bot`);
    await next();
  };
}
