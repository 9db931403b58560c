import { eraseEverywhere } from '../erasure.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { TurnContext } from '../turn-context.js';
import { replyPrivacyNotice } from './consent.js';

/** Erases every trace of the user in every store, then confirms in their language. */
export async function eraseUser(deps: PipelineDeps, ctx: TurnContext): Promise<void> {
  await eraseEverywhere(deps, ctx.conversation.key);
  ctx.reply(deps.translator.t(ctx.language, 'delete.done'));
  // A fresh start, at once: the user sees that Lotse now knows nothing, and can agree again.
  replyPrivacyNotice(deps, ctx, 'greeting');
  ctx.skipSave = true;
  ctx.result.erased = true;
}
