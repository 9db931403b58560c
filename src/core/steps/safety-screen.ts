import type { Language } from '../knowledge.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { SemanticVerdict } from '../ports.js';
import type { Step } from '../pipeline.js';
import { combineVerdicts } from '../screen-verdicts.js';
import { isOneOf } from '../text/normalize-text.js';
import type { TurnContext } from '../turn-context.js';
import { safetyReply } from './safety-reply.js';

/** The languages a message may be in: the conversation's, and the one detected in it. */
export function screenLanguages(deps: Pick<PipelineDeps, 'languages'>, text: string, conversationLanguage: Language): Language[] {
  const detected = deps.languages.detect(text, conversationLanguage).language;
  return detected === conversationLanguage ? [conversationLanguage] : [conversationLanguage, detected];
}

/**
 * Screens every message for danger, individual cases and requests for a human. The offline screen
 * and, when an LLM is configured, the semantic screen both see the message (the LLM's call starts
 * first and runs while the offline screen works); either can raise safety. Danger gets its own
 * reply and the contacts that fit its kind and the user's country at once, before any advisor is
 * reached. A weaker risk signal is kept on the turn: if the message escalates for any other
 * reason, it goes as a safety case.
 */
export function safetyScreenStep(deps: PipelineDeps): Step<TurnContext> {
  return async function safetyScreen(ctx, next) {
    if (!ctx.text) return next();
    // A bare greeting or thank-you carries no signal: too few letters for the classifier to judge.
    const words = (key: string) => deps.translator.words(key);
    if (isOneOf(ctx.text, words('commandWords.greeting')) || isOneOf(ctx.text, words('commandWords.thanks'))) return next();
    const semantic = deps.semanticScreen?.classify(deps.redactor.redact(ctx.text)).catch((error: unknown): SemanticVerdict => {
      deps.onError(error, 'semantic screen');
      return {};
    });
    const offline = deps.classifier.screen(ctx.text, screenLanguages(deps, ctx.text, ctx.language));
    const verdict = combineVerdicts(offline, semantic ? await semantic : {});
    if (verdict.atRisk) ctx.risk = { danger: verdict.danger };
    if (verdict.reason) ctx.escalate(verdict.reason);
    if (verdict.reason === 'safety') safetyReply(deps, ctx);
    await next();
  };
}
