import type { Answer } from '../answer.js';
import type { Passage } from '../knowledge.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { countryName } from './shared-location.js';
import { replyExamples } from './small-talk.js';
import { tokenize } from '../text/normalize-text.js';

/**
 * Retrieves and answers, scoped by the user's profile. Personal data is redacted before the
 * question leaves for retrieval or an LLM. Chit-chat gets a friendly reply and a question Lotse is
 * not for an honest "I can't help with that", neither a case. A question Lotse cannot answer gets
 * an offer to rephrase first; only a second miss in a row hands the conversation to an advisor.
 * When the answer depends on the user's country and Lotse does not know it, it asks first.
 */
export function answerQuestionStep(deps: PipelineDeps): Step<TurnContext> {
  return async function answerQuestion(ctx, next) {
    if (ctx.result.escalation || ctx.text === '') return next();
    const conversation = ctx.conversation;
    const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
    const question = deps.redactor.redact(ctx.text);
    const retrieval = await deps.retriever.retrieve({
      text: question,
      language: ctx.language,
      filter: { country: conversation.profile.country, audience: conversation.profile.audience },
    });
    ctx.retrieval = retrieval;
    // Danger seen by the screen, a case already waiting, or a question naming one of Lotse's topics
    // ("Can my wife come?", "Anmeldung?"): always an answer attempt, never small talk or "not for me".
    const scope = ctx.risk || ctx.waitingCase || retrieval.topical ? 'in_scope' : (deps.scope?.classify(ctx.text) ?? 'in_scope');
    const smallTalk = scope === 'chitchat' && !retrieval.confident;
    const notOurs = scope === 'out_of_scope' || (scope === 'likely_out_of_scope' && !retrieval.confident);
    if (smallTalk || notOurs) {
      replyExamples(deps, ctx, smallTalk ? 'smallTalk.chitchat' : 'answer.outOfScope');
      return next();
    }
    if (retrieval.confident && !conversation.profile.country && !ctx.countrySkipped && dependsOnCountry(retrieval.passages, ctx.text, deps)) {
      conversation.heldQuestion = ctx.text;
      conversation.pending = 'answer_country';
      // The phone number's country, when the channel knows it, is one tap away; never assumed.
      const hint = ctx.message.countryHint;
      ctx.reply(t('profile.askCountryForAnswer'), {
        buttons: [...(hint ? [{ label: countryName(hint, ctx.language), action: `country:${hint}` }] : []), { label: t('commandWords.skip.0'), action: 'choice:skip' }],
      });
      return next();
    }
    // Lotse's own replies come from the knowledge and hold no personal data: only the people's turns are redacted.
    const history = conversation.turns.slice(-6).map((turn) => (turn.role === 'bot' ? turn : { ...turn, text: deps.redactor.redact(turn.text) }));
    const answer = await deps.answerer.answer({ question, language: ctx.language, retrieval, history });
    ctx.result.answer = answer;
    ctx.asked = { redacted: question, outcome: !answer.escalate ? 'answered' : answer.reason === 'low_confidence' ? 'unanswered' : 'escalated' };
    if (answer.escalate) {
      conversation.unresolved += 1;
      conversation.more = undefined;
      if (answer.reason === 'low_confidence' && conversation.unresolved < 2 && !ctx.risk && !ctx.waitingCase) {
        ctx.reply(t('answer.rephrase'), { buttons: [{ label: t('buttons.advisor'), action: 'cmd:advisor' }] });
        return next();
      }
      ctx.escalate(answer.reason ?? 'low_confidence');
      return next();
    }
    conversation.unresolved = 0;
    conversation.more = answer.more;
    replyAnswer(deps, ctx, answer);
    if (ctx.offerAdvisor) ctx.reply(t('handoff.offer'), { buttons: [{ label: t('buttons.advisor'), action: 'cmd:advisor' }] });
    await next();
  };
}

/** An answer as channels show it: the body, its sources, and the next steps one tap away. */
export function replyAnswer(deps: PipelineDeps, ctx: TurnContext, answer: Pick<Answer, 'answer' | 'body' | 'sources' | 'more'>): void {
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  ctx.reply(answer.body ?? answer.answer, {
    sources: answer.sources,
    sourceLabels: { heading: t('answer.sources'), asOf: t('answer.asOf', { date: '' }).trim() },
    // Under every answer: the rest of it, the way to a human, and another language, one tap away.
    buttons: [
      ...(answer.more ? [{ label: t('buttons.more'), action: 'cmd:more' }] : []),
      { label: t('buttons.advisor'), action: 'cmd:advisor' },
      { label: t('buttons.language'), action: 'cmd:language' },
    ],
  });
}

/**
 * Whether the answer depends on where the user is: the best passages are the centres of different
 * countries, and the question names none of them (no country but Germany, no place only one of
 * those centres mentions, such as its city).
 */
function dependsOnCountry(passages: Passage[], question: string, deps: PipelineDeps): boolean {
  if (!passages[0]?.meta.id.startsWith('centre-')) return false;
  const named = deps.countries.parse(question);
  if (named && named !== 'DE') return false;
  const centres = passages.slice(0, 3).filter((p) => p.meta.id.startsWith('centre-'));
  const centreWords = centres.map((p) => new Set(tokenize(`${p.meta.title} ${p.chunk.text}`)));
  const names = question.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).flatMap((w) => tokenize(w));
  if (names.some((name) => centreWords.filter((words) => words.has(name)).length === 1)) return false;
  return new Set(centres.flatMap((p) => p.meta.countries)).size >= 2;
}
