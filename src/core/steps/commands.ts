import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { LANGUAGES } from '../knowledge.js';
import { isChoice, matchCommand } from './command-match.js';
import { eraseUser } from './erase-user.js';
import { answerHelpCountry } from './safety-reply.js';
import { replyAnswer } from './answer-question.js';
import { replyExamples } from './small-talk.js';

/** Each language's name in itself (Serbian in Latin script), from the runtime's ICU data. */
const OWN_NAME = Object.fromEntries(
  LANGUAGES.map((language) => {
    const name = new Intl.DisplayNames([language === 'sr' ? 'sr-Latn' : language], { type: 'language' }).of(language) ?? language;
    return [language, name.charAt(0).toLocaleUpperCase(language) + name.slice(1)];
  }),
) as Record<(typeof LANGUAGES)[number], string>;

/** A reply to a pending question that is really a new question: more than a few words. */
const looksLikeQuestion = (text: string) => text.split(/\s+/).length > 4;

/** Commands (start, help, language, advisor, delete, profile) and the short flows they start. */
export function commandsStep(deps: PipelineDeps): Step<TurnContext> {
  const { translator } = deps;
  return async function commands(ctx, next) {
    const conversation = ctx.conversation;
    const t = (key: string, params?: Record<string, unknown>) => translator.t(ctx.language, key, params);
    const command = matchCommand(ctx, translator);

    if (!command && conversation.pending) {
      const pending = conversation.pending;
      if (pending === 'language') {
        const language = ctx.message.action?.startsWith('lang:') ? ctx.message.action.slice(5) : deps.languages.parseName(ctx.text);
        const chosen = LANGUAGES.find((l) => l === language);
        if (chosen) {
          conversation.language = chosen;
          conversation.languageLocked = true;
          conversation.pending = undefined;
          ctx.reply(translator.t(chosen, 'language.changed'));
          return;
        }
        if (!looksLikeQuestion(ctx.text)) return ctx.reply(t('language.unknown'));
      }
      if (pending === 'country') {
        const country = deps.countries.parse(ctx.text);
        if (country || isChoice(ctx, translator, 'skip')) {
          if (country) conversation.profile.country = country;
          conversation.pending = 'audience';
          return ctx.reply(t('profile.askAudience'), { buttons: audienceButtons(t) });
        }
        if (!looksLikeQuestion(ctx.text)) return ctx.reply(t('profile.unknownCountry'));
      }
      if (pending === 'answer_country') {
        // The question waits for the country it depends on; then it is answered, for that country.
        const tapped = /^country:([A-Z]{2})$/.exec(ctx.message.action ?? '')?.[1];
        const country = tapped ?? deps.countries.parse(ctx.text);
        const held = conversation.heldQuestion;
        if (country || isChoice(ctx, translator, 'skip')) {
          if (country) conversation.profile.country = country;
          conversation.pending = undefined;
          conversation.heldQuestion = undefined;
          if (!held) return ctx.reply(t('profile.saved'));
          ctx.text = held;
          ctx.countrySkipped = !country;
          return next();
        }
        if (!looksLikeQuestion(ctx.text)) return ctx.reply(t('profile.unknownCountry'));
        conversation.heldQuestion = undefined;
      }
      if (pending === 'help_country') {
        if (await answerHelpCountry(deps, ctx)) return;
        conversation.helpFor = undefined;
      }
      if (pending === 'audience') {
        const audience = isChoice(ctx, translator, 'go') ? 'prospective' : isChoice(ctx, translator, 'returned') ? 'returnee' : undefined;
        if (audience || isChoice(ctx, translator, 'skip')) {
          if (audience) conversation.profile.audience = audience;
          conversation.pending = undefined;
          return ctx.reply(t('profile.saved'));
        }
        if (!looksLikeQuestion(ctx.text)) return ctx.reply(t('profile.unknownAudience'), { buttons: audienceButtons(t) });
      }
      // A question instead of an answer: drop the flow and answer the question.
      conversation.pending = undefined;
    }

    // A bare country name ("Sénégal") tells Lotse where the user is: kept for the answers that follow.
    if (!command && !ctx.message.action && ctx.text.split(/\s+/).length <= 3) {
      const country = deps.countries.parse(ctx.text);
      if (country && country !== 'DE') {
        conversation.profile.country = country;
        return ctx.reply(t('profile.saved'));
      }
    }

    switch (command) {
      case 'start':
        return ctx.reply(`${t('greeting')}\n\n${helpText(deps, ctx, t)}`);
      case 'help':
        return ctx.reply(helpText(deps, ctx, t));
      case 'language':
        conversation.pending = 'language';
        return ctx.reply(t('language.prompt'), { buttons: LANGUAGES.map((language) => ({ label: OWN_NAME[language], action: `lang:${language}` })) });
      case 'profile':
        conversation.pending = 'country';
        return ctx.reply(t('profile.askCountry'));
      case 'delete':
        return eraseUser(deps, ctx);
      case 'more': {
        const more = conversation.more;
        conversation.more = undefined;
        if (!more) return replyExamples(deps, ctx, 'answer.noMore');
        return replyAnswer(deps, ctx, { answer: more.text, body: more.text, sources: more.sources });
      }
      case 'advisor':
        ctx.escalate('user_request');
        return next();
      default:
        return next();
    }
  };
}

/** The help; where event notices can reach the user (Telegram, WhatsApp), with its line about them after the other choices. */
function helpText(deps: PipelineDeps, ctx: TurnContext, t: (key: string) => string): string {
  const help = t('help');
  if (!deps.notices?.supports(ctx.message.channel)) return help;
  const lines = help.split('\n');
  const after = lines.findLastIndex((line) => line.startsWith('•'));
  lines.splice(after + 1, 0, t('notices.help'));
  return lines.join('\n');
}

function audienceButtons(t: (key: string) => string) {
  return [
    { label: t('commandWords.go.0'), action: 'choice:go' },
    { label: t('commandWords.returned.0'), action: 'choice:returned' },
  ];
}
