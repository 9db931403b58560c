import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/**
 * Voice notes are transcribed and answered like text when a transcriber is configured; photos,
 * documents, stickers (and voice notes otherwise) get a helpful reply in the user's language, never silence.
 */
export function mediaStep(deps: PipelineDeps): Step<TurnContext> {
  return async function media(ctx, next) {
    if (ctx.text !== '' || ctx.message.action) return next();
    if (ctx.message.kind === 'voice' && ctx.message.media && deps.transcriber) {
      const transcript = await deps.transcriber.transcribe(ctx.message).catch((error: unknown) => {
        deps.onError(error, 'transcription');
        return undefined;
      });
      if (transcript?.trim()) {
        ctx.text = transcript.trim();
        return next();
      }
    }
    // With a case open, the advisor gets the media (the route step passes it on).
    if (ctx.conversation.state !== 'bot' && ctx.message.kind !== 'text') return next();
    ctx.reply(deps.translator.t(ctx.language, ctx.message.kind === 'voice' ? 'media.voiceUnavailable' : ctx.message.kind === 'text' ? 'error.empty' : 'media.unsupported'));
  };
}
