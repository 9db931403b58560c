import type { InboundMessage } from './message.js';
import type { PipelineDeps } from './pipeline-deps.js';
import { compose, errorBoundary, named, type Step } from './pipeline.js';
import { answerQuestionStep } from './steps/answer-question.js';
import { commandsStep } from './steps/commands.js';
import { consentStep } from './steps/consent.js';
import { dedupeStep } from './steps/dedupe.js';
import { followLanguageStep } from './steps/follow-language.js';
import { loadConversationStep } from './steps/load-conversation.js';
import { mediaStep } from './steps/media.js';
import { sharedLocationStep } from './steps/shared-location.js';
import { openCaseStep } from './steps/open-case.js';
import { routeStep } from './steps/route.js';
import { smallTalkStep } from './steps/small-talk.js';
import { showAnswerToAdvisorStep } from './steps/show-answer-to-advisor.js';
import { safetyScreenStep } from './steps/safety-screen.js';
import { saveConversationStep } from './steps/save-conversation.js';
import { floodNoticeStep } from './steps/flood-notice.js';
import { noticeProfileStep, noticeRequestsStep } from './steps/notice-requests.js';
import { truncatedNoticeStep } from './steps/truncated-notice.js';
import { deliverReplies } from './steps/deliver-replies.js';
import { TurnContext, type TurnFacts, type TurnResult } from './turn-context.js';

export type HandleMessage = (message: InboundMessage) => Promise<TurnResult>;

/**
 * The conversation engine: one inbound message in, replies and decisions out. Storage errors
 * propagate (the queue retries the message, nothing is lost); an answering error becomes an
 * apology to the user and the turn is still saved.
 */
export function createConversationPipeline(deps: PipelineDeps): HandleMessage {
  const save = saveConversationStep(deps);
  const answering = errorBoundary<TurnContext>(
    async (error, ctx) => {
      deps.onError(error, 'answering');
      ctx.reply(deps.translator.t(ctx.language, 'error.generic'));
      // Still save the turn, so that the conversation is not lost.
      await save(ctx, async () => undefined);
    },
    named('answerQuestion', answerQuestionStep(deps)),
  );
  /** Steps that may end the turn themselves (consent, a command, waiting for an advisor): what they changed is saved. */
  const mayEndTurn = (name: string, ...inner: Step<TurnContext>[]) =>
    named<TurnContext>(name, async (ctx, next) => {
      let passed = false;
      await compose(inner)(ctx, async () => {
        passed = true;
      });
      if (passed) return next();
      await save(ctx, async () => undefined);
    });
  const steps: Step<TurnContext>[] = [
    named('dedupe', dedupeStep(deps)),
    named('loadConversation', loadConversationStep(deps)),
    named('noticeProfile', noticeProfileStep(deps)),
    named('floodNotice', floodNoticeStep(deps)),
    mayEndTurn('consentCommandsMedia', consentStep(deps), sharedLocationStep(deps), noticeRequestsStep(deps), commandsStep(deps), mediaStep(deps)),
    named('followLanguage', followLanguageStep(deps)),
    named('truncatedNotice', truncatedNoticeStep(deps)),
    named('safetyScreen', safetyScreenStep(deps)),
    mayEndTurn('route', routeStep(deps), smallTalkStep(deps)),
    answering,
    named('openCase', openCaseStep(deps)),
    named('showAnswerToAdvisor', showAnswerToAdvisorStep(deps)),
    named('saveConversation', save),
  ];
  const pipeline = compose(steps);
  return async (message) => {
    const ctx = new TurnContext(message, deps.clock.now());
    try {
      await pipeline(ctx, async () => undefined);
      // Replies are safe in the outbox before the conversation is saved and before the message
      // counts as handled: a crash in between repeats the turn, and the repeated replies carry the
      // same ids, so none is sent twice (the save step delivers first; this catches turns not saved).
      if (!ctx.result.duplicate) await deliverReplies(deps, ctx);
    } catch (error) {
      // Handling failed (a store was unreachable): give the claim back so that the retry runs.
      if (!ctx.result.duplicate) await deps.dedupe.release(message.id).catch(() => undefined);
      throw error;
    }
    // An erased user leaves no trace, not even the id of the message that erased them.
    if (!ctx.result.duplicate && !ctx.result.erased) await deps.dedupe.complete(message.id);
    if (!ctx.result.duplicate && !ctx.result.erased) ctx.result.facts = turnFacts(ctx);
    return ctx.result;
  };
}

/** What statistics may count of a turn: nothing before the user agreed, and no identifier ever. */
function turnFacts(ctx: TurnContext): TurnFacts | undefined {
  const conversation = ctx.conversation;
  if (!conversation || conversation.consent.status !== 'given') return undefined;
  const facts: TurnFacts = {
    channel: ctx.message.channel,
    language: conversation.language,
    country: conversation.profile.country,
    audience: conversation.profile.audience,
    started: conversation.consent.at === ctx.now.toISOString(),
  };
  if (ctx.asked && ctx.retrieval) {
    const used = ctx.asked.outcome === 'answered' && ctx.result.answer ? new Set(ctx.result.answer.sources.map((source) => source.id)) : undefined;
    const passages = ctx.retrieval.passages.filter((passage) => (used ? used.has(passage.meta.id) || used.has(passage.meta.baseId) : true)).slice(0, 3);
    facts.question = {
      confidence: ctx.retrieval.confidence,
      outcome: ctx.asked.outcome,
      ...(ctx.asked.outcome === 'unanswered' ? { redacted: ctx.asked.redacted } : {}),
      topics: [...new Set(passages.flatMap((passage) => passage.meta.topics))],
      sources: [...new Set(passages.map((passage) => passage.meta.baseId))],
    };
  }
  return facts;
}
