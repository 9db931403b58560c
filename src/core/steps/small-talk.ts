import { isOneOf } from '../text/normalize-text.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import type { Translator } from '../ports.js';

/** Whether the whole message is a greeting or a thank-you, in any of the ten languages. */
export function isSmallTalk(text: string, translator: Translator): boolean {
  return isOneOf(text, translator.words('commandWords.greeting')) || isOneOf(text, translator.words('commandWords.thanks'));
}

/**
 * A greeting or a thank-you is not a question: it gets a friendly reply (a greeting with what Lotse
 * can do), never an answer search that finds nothing and never a case for the advisors.
 */
export function smallTalkStep(deps: PipelineDeps): Step<TurnContext> {
  return async function smallTalk(ctx, next) {
    const t = (key: string) => deps.translator.t(ctx.language, key);
    if (isOneOf(ctx.text, deps.translator.words('commandWords.greeting'))) return ctx.reply(`${t('greeting')}\n\n${t('help')}`);
    if (isOneOf(ctx.text, deps.translator.words('commandWords.thanks'))) return ctx.reply(t('smallTalk.thanks'));
    await next();
  };
}
