import { isOneOf } from '../text/normalize-text.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import type { Translator } from '../ports.js';

/** Whether the whole message is a greeting or a thank-you, in any of the ten languages. */
export function isSmallTalk(text: string, translator: Translator): boolean {
  return isOneOf(text, translator.words('commandWords.greeting')) || isOneOf(text, translator.words('commandWords.thanks'));
}

/** A friendly reply (a greeting, thanks, "I can't help with that") followed by three example questions. */
export function replyExamples(deps: PipelineDeps, ctx: TurnContext, key: string): void {
  const t = (k: string) => deps.translator.t(ctx.language, k);
  ctx.reply(`${t(key)}\n\n${t('smallTalk.examples')}`);
}

/**
 * A greeting or a thank-you is not a question: it gets a friendly reply with example questions,
 * never an answer search that finds nothing and never a case for the advisors.
 */
export function smallTalkStep(deps: PipelineDeps): Step<TurnContext> {
  return async function smallTalk(ctx, next) {
    if (isOneOf(ctx.text, deps.translator.words('commandWords.greeting'))) return replyExamples(deps, ctx, 'greeting');
    if (isOneOf(ctx.text, deps.translator.words('commandWords.thanks'))) return replyExamples(deps, ctx, 'smallTalk.thanks');
    await next();
  };
}
