import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { isChoice, matchCommand } from './command-match.js';
import { eraseUser } from './erase-user.js';
import { safetyReply } from './safety-reply.js';
import { screenLanguages } from './safety-screen.js';
import { isSmallTalk } from './small-talk.js';

/**
 * First contact: a short privacy notice and a yes/no. Until the user agrees, nothing beyond the
 * consent record and the one question waiting for the answer is stored, and no question is
 * answered; the question is answered right after "yes" and deleted with "no"; "delete" works at any time. Danger is
 * screened even before consent, by the offline screen alone (nothing leaves for an LLM, nothing is
 * kept): the emergency contacts come at once, with the notice.
 */
export function consentStep(deps: PipelineDeps): Step<TurnContext> {
  const { translator } = deps;
  return async function consent(ctx, next) {
    const conversation = ctx.conversation;
    if (conversation.consent.status === 'given') return next();
    ctx.storeMessage = false;
    const t = (key: string, params?: Record<string, unknown>) => translator.t(ctx.language, key, params);
    const at = ctx.now.toISOString();
    const command = matchCommand(ctx, translator);
    if (command === 'delete') return eraseUser(deps, ctx);
    if (conversation.consent.status === 'pending' && isChoice(ctx, translator, 'yes')) {
      conversation.consent = { ...conversation.consent, status: 'given', at };
      const held = conversation.heldQuestion;
      conversation.heldQuestion = undefined;
      if (!held) return ctx.reply(t('consent.accepted'));
      // The question sent before the notice is answered now, as if it had just been asked.
      ctx.reply(t('consent.acceptedHeld'));
      ctx.text = held;
      ctx.storeMessage = true;
      return next();
    }
    if (conversation.consent.status === 'pending' && isChoice(ctx, translator, 'no')) {
      conversation.consent = { ...conversation.consent, status: 'declined', at };
      conversation.heldQuestion = undefined;
      ctx.reply(t('consent.declined'));
      return;
    }
    if (conversation.consent.status === 'declined' && command !== 'start') {
      ctx.reply(t('consent.declined'));
      return;
    }
    const firstContact = conversation.turns.length === 0 && conversation.consent.at === undefined;
    conversation.consent = { ...conversation.consent, status: 'pending' };
    if (ctx.text !== '' && !command && !isSmallTalk(ctx.text, translator)) {
      const verdict = deps.classifier.screen(ctx.text, screenLanguages(deps, ctx.text, ctx.language));
      if (verdict.reason === 'safety') {
        ctx.risk = { danger: verdict.danger };
        safetyReply(deps, ctx, { askCountry: false });
      } else if ((deps.scope?.classify(ctx.text) ?? 'in_scope') === 'in_scope') {
        // A question (not "hello, I have a question") is held, as the notice says, until the answer:
        // answered after "yes", deleted with "no"; phone numbers, e-mail addresses and ID numbers are
        // redacted before it is kept.
        conversation.heldQuestion = deps.redactor.redact(ctx.text);
      }
    }
    replyPrivacyNotice(deps, ctx, firstContact && !ctx.contactsShown ? 'greeting' : 'consent.required');
  };
}

/** The privacy notice with its yes/no buttons, after an introduction (a greeting, or why it is asked). */
export function replyPrivacyNotice(deps: PipelineDeps, ctx: TurnContext, intro: string): void {
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  const notice = [t(intro), t('consent.notice', { days: deps.options.retentionDays }), t('consent.prompt')];
  ctx.reply(notice.join('\n\n'), {
    buttons: [
      { label: t('commandWords.yes.0'), action: 'choice:yes' },
      { label: t('commandWords.no.0'), action: 'choice:no' },
    ],
  });
}
