import type { CaseBrief } from '../case.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { TurnContext } from '../turn-context.js';

/**
 * What the advisor needs to pick the case up, built from the transcript (redacted): what the user
 * asked, what Lotse answered last and from which sources, the facts they gave, what is still open.
 */
export function caseBrief(deps: PipelineDeps, ctx: TurnContext): CaseBrief {
  const conversation = ctx.conversation;
  const redact = (text: string) => deps.redactor.redact(text);
  const asked = [...conversation.turns.filter((turn) => turn.role === 'user').slice(-4).map((turn) => turn.text), ctx.text].filter(Boolean).map(redact);
  const lastBot = [...conversation.turns].reverse().find((turn) => turn.role === 'bot');
  const answer = ctx.result.answer;
  const facts: Record<string, string> = {};
  if (conversation.profile.country) facts.country = conversation.profile.country;
  if (conversation.profile.audience) facts.audience = conversation.profile.audience === 'returnee' ? 'returned' : 'planning to go';
  if (conversation.profile.programme) facts.programme = conversation.profile.programme;
  facts.language = conversation.language;
  const reason = ctx.result.escalation?.reason;
  const open =
    reason === 'user_request' ? 'The user asked for a human advisor.'
      : reason === 'low_confidence' ? 'Lotse could not answer the last question reliably.'
        : reason === 'sensitive' ? 'An individual case (a decision, an appeal, a family matter): needs an advisor.'
          : 'A possible danger: contact the user first; emergency contacts were shown.';
  return {
    asked,
    answered: answer?.answer ? redact(answer.answer).slice(0, 600) : lastBot ? redact(lastBot.text).slice(0, 600) : undefined,
    sources: (answer?.sources ?? []).map((source) => ({ title: source.title, url: source.url })),
    facts,
    open,
  };
}
