import type { Language } from '../knowledge.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { SemanticVerdict } from '../ports.js';
import type { Step } from '../pipeline.js';
import { combineVerdicts, type CombinedVerdict } from '../screen-verdicts.js';
import { isSmallTalk } from './small-talk.js';
import type { TurnContext } from '../turn-context.js';
import { safetyReply } from './safety-reply.js';

/** The languages a message may be in: the conversation's, and the one detected in it. */
export function screenLanguages(deps: Pick<PipelineDeps, 'languages'>, text: string, conversationLanguage: Language): Language[] {
  const detected = deps.languages.detect(text, conversationLanguage).language;
  return detected === conversationLanguage ? [conversationLanguage] : [conversationLanguage, detected];
}

/**
 * Both screens on one message, as the pipeline runs them: the LLM's call (on the redacted text)
 * starts first and runs while the offline screen works; a failed call leaves the offline verdict.
 */
export async function screenMessage(deps: PipelineDeps, text: string, conversationLanguage: Language): Promise<CombinedVerdict> {
  const semantic = deps.semanticScreen?.classify(deps.redactor.redact(text)).catch((error: unknown): SemanticVerdict => {
    deps.onError(error, 'semantic screen');
    return {};
  });
  const offline = deps.classifier.screen(text, screenLanguages(deps, text, conversationLanguage));
  return combineVerdicts(offline, semantic ? await semantic : {});
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
    if (isSmallTalk(ctx.text, deps.translator)) return next();
    const verdict = await screenMessage(deps, ctx.text, ctx.language);
    if (verdict.atRisk) ctx.risk = { danger: verdict.danger };
    // A message surely not about the service (a love letter, a football bet) is no individual case for
    // its advisors, whatever words it shares with one; danger and a plain request for a person still count.
    const notOurs = verdict.reason === 'sensitive' && deps.scope?.classify(ctx.text) === 'out_of_scope';
    if (verdict.reason === 'user_request' && verdict.tentative) ctx.offerAdvisor = true;
    else if (verdict.reason && !notOurs) ctx.escalate(verdict.reason);
    if (verdict.reason === 'safety') safetyReply(deps, ctx);
    await next();
  };
}
