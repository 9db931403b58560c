import type { PipelineDeps } from '../pipeline-deps.js';
import type { TurnContext } from '../turn-context.js';

/** Erases every trace of the user in every store, then confirms in their language. */
export async function eraseUser(deps: PipelineDeps, ctx: TurnContext): Promise<void> {
  const key = ctx.conversation.key;
  await deps.conversations.delete(key);
  await deps.cases.deleteForConversation(key);
  await deps.dedupe.forget(key);
  for (const participant of deps.erasure) await participant.erase(key);
  ctx.reply(deps.translator.t(ctx.language, 'delete.done'));
  ctx.skipSave = true;
  ctx.result.erased = true;
}
