import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/** Follows the user into another language when they clearly write in it, unless they chose one. */
export function followLanguageStep(deps: PipelineDeps): Step<TurnContext> {
  return async function followLanguage(ctx, next) {
    const conversation = ctx.conversation;
    if (!conversation.languageLocked && ctx.text.split(/\s+/).length >= 3) {
      const detected = deps.languages.detect(ctx.text, conversation.language);
      if (detected.confident) conversation.language = detected.language;
    }
    await next();
  };
}
