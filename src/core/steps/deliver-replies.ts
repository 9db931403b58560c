import type { PipelineDeps } from '../pipeline-deps.js';
import type { TurnContext } from '../turn-context.js';

/** Puts the turn's replies not yet delivered into the outbox (idempotent: replies carry stable ids). */
export async function deliverReplies(deps: PipelineDeps, ctx: TurnContext): Promise<void> {
  const pending = ctx.result.replies.slice(ctx.delivered);
  if (pending.length === 0 || !deps.outbox) return;
  await deps.outbox.deliver(pending);
  ctx.delivered = ctx.result.replies.length;
}
