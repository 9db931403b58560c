import { priorityFor, type Case } from '../case.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';
import { caseBrief } from './case-brief.js';
import { safetyReply } from './safety-reply.js';

const NOTICE = { user_request: 'escalation.userRequest', low_confidence: 'escalation.lowConfidence', sensitive: 'escalation.sensitive' } as const;

/** Where the user stands: cases ahead and the expected wait (from the pool's real claim times), with the way back to Lotse. */
export async function queueNotice(deps: PipelineDeps, ctx: TurnContext, c: Case): Promise<void> {
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  const { ahead, minutes } = await deps.cases.waitInfo(c, deps.options.waitMinutes[c.priority]);
  const aheadText = t(ahead === 1 ? 'handoff.ahead_one' : 'handoff.ahead_other', { count: ahead });
  // "0 conversations ahead of you" reads like a fault: the first in line is told so in words.
  ctx.reply(ahead === 0 ? t('handoff.queueFirst', { minutes }) : t('handoff.queue', { ahead: aheadText, minutes }), {
    buttons: [
      { label: t('buttons.cancelCase'), action: 'handoff:cancel' },
      { label: t('buttons.woman'), action: 'handoff:woman' },
    ],
  });
}

/** Opens an advisor case for an escalated conversation (once), with a redacted brief, and tells the user their place and the expected wait. */
export function openCaseStep(deps: PipelineDeps): Step<TurnContext> {
  return async function openCase(ctx, next) {
    if (!ctx.result.escalation) return next();
    // A risk signal makes any escalation a safety one: the contacts at once, the most urgent queue.
    if (ctx.risk && ctx.result.escalation.reason !== 'safety') {
      ctx.escalate('safety');
      safetyReply(deps, ctx);
    }
    const decision = ctx.result.escalation;
    const conversation = ctx.conversation;
    const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
    const existing = await deps.cases.findOpen(conversation.key);
    if (existing) {
      if (decision.reason === 'safety') await deps.cases.raiseToSafety(existing, decision.danger);
      else ctx.reply(t('escalation.alreadyWaiting'));
      if (existing.status === 'open') await queueNotice(deps, ctx, existing);
      return next();
    }
    const priority = priorityFor(decision.reason);
    const details = caseBrief(deps, ctx);
    if (deps.briefWriter) {
      // A summary helps the advisor start at once; without one the brief stands on the transcript.
      const transcript = [...conversation.turns.slice(-10).map((turn) => `${turn.role}: ${deps.redactor.redact(turn.text)}`), `user: ${deps.redactor.redact(ctx.text)}`];
      details.summary = await deps.briefWriter.summarize(transcript).catch((error: unknown) => {
        deps.onError(error, 'case summary');
        return undefined;
      });
    }
    const opened = await deps.cases.open({
      conversationKey: conversation.key,
      channel: conversation.channel,
      userId: conversation.userId,
      priority,
      language: conversation.language,
      country: conversation.profile.country,
      topic: ctx.retrieval?.passages[0]?.meta.baseId,
      reason: decision.reason,
      ...(decision.danger ? { danger: decision.danger } : {}),
      brief: details.summary ?? details.asked.map((text) => `• ${text}`).join('\n'),
      details,
    });
    conversation.state = 'waiting';
    conversation.caseId = opened.id;
    conversation.unresolved = 0;
    ctx.result.openedCase = opened;
    if (decision.reason !== 'safety') ctx.reply(t(NOTICE[decision.reason]));
    await queueNotice(deps, ctx, opened);
    await next();
  };
}
