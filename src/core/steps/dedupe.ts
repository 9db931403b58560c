import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** Drops a message already handled (a redelivered webhook or update): no reply, no change. */
export function dedupeStep(deps: PipelineDeps): Step<TurnContext> {
  return async function dedupe(ctx, next) {
    if (await deps.dedupe.claim(ctx.message.id)) return next();
    ctx.result.duplicate = true;
    ctx.skipSave = true;
  };
}
