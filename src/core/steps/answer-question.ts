import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

/**
 * Retrieves and answers, scoped by the user's profile. Personal data is redacted before the
 * question leaves for retrieval or an LLM. A low-confidence answer, or a second borderline one in a
 * row, hands the conversation to an advisor instead.
 */
export function answerQuestionStep(deps: PipelineDeps): Step<TurnContext> {
  return async function answerQuestion(ctx, next) {
    if (ctx.result.escalation || ctx.text === '') return next();
    const conversation = ctx.conversation;
    const question = deps.redactor.redact(ctx.text);
    const retrieval = await deps.retriever.retrieve({
      text: question,
      language: ctx.language,
      filter: { country: conversation.profile.country, audience: conversation.profile.audience },
    });
    ctx.retrieval = retrieval;
    // Lotse's own replies come from the knowledge and hold no personal data: only the people's turns are redacted.
    const history = conversation.turns.slice(-6).map((turn) => (turn.role === 'bot' ? turn : { ...turn, text: deps.redactor.redact(turn.text) }));
    const answer = await deps.answerer.answer({ question, language: ctx.language, retrieval, history });
    ctx.result.answer = answer;
    if (answer.escalate) {
      conversation.unresolved += 1;
      ctx.escalate(answer.reason ?? 'low_confidence');
      return next();
    }
    const t = (key: string) => deps.translator.t(ctx.language, key);
    ctx.reply(answer.answer, {
      sources: answer.sources,
      // Under every answer: the way to a human, and to another language, one tap away.
      buttons: [
        { label: t('buttons.advisor'), action: 'cmd:advisor' },
        { label: t('buttons.language'), action: 'cmd:language' },
      ],
    });
    const borderline = retrieval.confidence < deps.options.threshold + deps.options.unresolvedBand;
    conversation.unresolved = borderline ? conversation.unresolved + 1 : 0;
    if (conversation.unresolved >= 2) ctx.escalate('low_confidence');
    await next();
  };
}
