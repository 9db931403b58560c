import type { Language } from '../knowledge.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { isChoice } from './command-match.js';

/** A country's name in the user's language (Serbian in Latin script), from the runtime's ICU data. */
export function countryName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([language === 'sr' ? 'sr-Latn' : language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A shared location proposes the user's country; it is kept only once the user says yes (a person
 * may share where they stand today, not where they live). The coordinates never reach the
 * conversation: the channel passes the country alone. With a case open, the location goes to the
 * advisor like any other message.
 */
export function sharedLocationStep(deps: PipelineDeps): Step<TurnContext> {
  const { translator } = deps;
  return async function sharedLocation(ctx, next) {
    const conversation = ctx.conversation;
    const t = (key: string, params?: Record<string, unknown>) => translator.t(ctx.language, key, params);
    if (conversation.pending === 'confirm_country') {
      const proposed = conversation.proposedCountry;
      const yes = isChoice(ctx, translator, 'yes');
      if (yes || isChoice(ctx, translator, 'no')) {
        conversation.pending = undefined;
        conversation.proposedCountry = undefined;
        if (yes && proposed) {
          conversation.profile.country = proposed;
          return ctx.reply(t('profile.locationSaved', { country: countryName(proposed, ctx.language) }));
        }
        return ctx.reply(t('profile.locationDeclined'));
      }
      // Anything else (a question, a command): the proposal lapses and the message is handled as usual.
      conversation.pending = undefined;
      conversation.proposedCountry = undefined;
    }
    if (ctx.message.kind !== 'location' || conversation.state !== 'bot') return next();
    const country = ctx.message.sharedCountry;
    if (!country) {
      conversation.pending = 'country';
      return ctx.reply(t('profile.askCountry'));
    }
    conversation.pending = 'confirm_country';
    conversation.proposedCountry = country;
    const name = countryName(country, ctx.language);
    ctx.reply(t('profile.locationAsk', { country: name }), {
      buttons: [
        { label: t('commandWords.yes.0'), action: 'choice:yes' },
        { label: t('commandWords.no.0'), action: 'choice:no' },
      ],
    });
  };
}
