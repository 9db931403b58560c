import { MAX_TEXT_LENGTH } from '../message.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** A message cut at MAX_TEXT_LENGTH is still answered; the user is told that only its start was read. */
export function truncatedNoticeStep(deps: PipelineDeps): Step<TurnContext> {
  return async function truncatedNotice(ctx, next) {
    if (ctx.message.truncated) ctx.reply(deps.translator.t(ctx.language, 'input.truncated', { max: MAX_TEXT_LENGTH }));
    await next();
  };
}
