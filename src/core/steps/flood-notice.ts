import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/**
 * A message over the per-user flood limit was not read (its text was never kept): the user gets a
 * polite notice in their language (the queue passes on one such message a minute) and nothing is saved.
 */
export function floodNoticeStep(deps: PipelineDeps): Step<TurnContext> {
  return async function floodNotice(ctx, next) {
    if (!ctx.message.throttled) return next();
    ctx.reply(deps.translator.t(ctx.language, 'input.flood'));
    ctx.skipSave = true;
  };
}
