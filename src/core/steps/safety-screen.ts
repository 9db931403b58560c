import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/**
 * Screens every message for danger, individual cases and requests for a human. Danger gets the
 * emergency contacts for the user's country at once, before any advisor is reached.
 */
export function safetyScreenStep(deps: PipelineDeps): Step<TurnContext> {
  return async function safetyScreen(ctx, next) {
    let signal = ctx.text ? deps.classifier.classify(ctx.text) : undefined;
    if (!signal && ctx.text && deps.semanticScreen) {
      signal = await deps.semanticScreen.classify(deps.redactor.redact(ctx.text)).catch((error: unknown) => {
        deps.onError(error, 'semantic screen');
        return undefined;
      });
    }
    if (signal) ctx.escalate(signal);
    if (signal === 'safety') {
      const t = (key: string) => deps.translator.t(ctx.language, key);
      const contacts = deps.emergency.contactsFor(ctx.conversation.profile.country);
      const lines = contacts.map((c) => `• ${c.name}: ${c.number}${c.note ? ` (${c.note})` : ''}`);
      ctx.reply([t('escalation.safety'), `${t('escalation.safetyContacts')}\n${lines.join('\n')}`, t('escalation.safetyAdvisor')].join('\n\n'));
    }
    await next();
  };
}
