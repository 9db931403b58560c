import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** Voice notes, photos, documents and stickers without text: a helpful reply in the user's language, never silence. */
export function mediaStep(deps: PipelineDeps): Step<TurnContext> {
  return async function media(ctx, next) {
    if (ctx.text !== '' || ctx.message.action) return next();
    ctx.reply(deps.translator.t(ctx.language, ctx.message.kind === 'voice' ? 'media.voiceUnavailable' : ctx.message.kind === 'text' ? 'error.empty' : 'media.unsupported'));
  };
}
