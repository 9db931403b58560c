import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { isOneOf } from '../text/normalize-text.js';

/**
 * While a case is open, no state is a trap. Waiting for an advisor: the advisors see the message,
 * and Lotse still answers it (the advisors see the answer too). With an advisor: the message goes
 * to them and Lotse stays quiet. "cancel" (or its button) goes back to Lotse at any time; the
 * woman-advisor button re-routes the case. A resolved or cancelled case means Lotse answers again.
 */
export function routeStep(deps: PipelineDeps): Step<TurnContext> {
  return async function route(ctx, next) {
    const conversation = ctx.conversation;
    const t = (key: string) => deps.translator.t(ctx.language, key);
    const open = await deps.cases.findOpen(conversation.key);
    if (!open) {
      conversation.state = 'bot';
      conversation.caseId = undefined;
      return next();
    }
    conversation.caseId = open.id;
    conversation.state = open.status === 'claimed' ? 'with_advisor' : 'waiting';
    const action = ctx.message.action;
    if (action === 'handoff:cancel' || isOneOf(ctx.text, deps.translator.words('commandWords.cancel'))) {
      await deps.cases.cancel(open);
      conversation.state = 'bot';
      conversation.caseId = undefined;
      ctx.reply(t('handoff.cancelled'));
      return;
    }
    if (action === 'handoff:woman') {
      ctx.reply(t((await deps.cases.preferWoman(open)) ? 'handoff.womanYes' : 'handoff.womanNo'));
      return;
    }
    const media = ctx.message.media ? { kind: ctx.message.kind, ref: ctx.message.media.ref } : ctx.message.kind !== 'text' ? { kind: ctx.message.kind } : undefined;
    if (ctx.text || media) await deps.cases.record(open, { type: 'user_message', text: ctx.text, ...(media ? { media } : {}) }, ctx.message.id);
    if (conversation.state === 'with_advisor') return;
    ctx.waitingCase = open;
    await next();
  };
}
