import { priorityFor } from '../case.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { Step } from '../pipeline.js';
import type { TurnContext } from '../turn-context.js';

const NOTICE = { user_request: 'escalation.userRequest', low_confidence: 'escalation.lowConfidence', sensitive: 'escalation.sensitive' } as const;

/** Opens an advisor case for an escalated conversation (once), with a redacted brief, and tells the user the expected wait. */
export function openCaseStep(deps: PipelineDeps): Step<TurnContext> {
  return async function openCase(ctx, next) {
    const decision = ctx.result.escalation;
    if (!decision) return next();
    const conversation = ctx.conversation;
    const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
    const existing = await deps.cases.findOpen(conversation.key);
    if (existing) {
      if (decision.reason !== 'safety') ctx.reply(t('escalation.alreadyWaiting'));
      return next();
    }
    const recent = [...conversation.turns.filter((turn) => turn.role === 'user').slice(-4).map((turn) => turn.text), ctx.text].filter(Boolean);
    const topic = ctx.retrieval?.passages[0]?.meta.baseId;
    const priority = priorityFor(decision.reason);
    const opened = await deps.cases.open({
      conversationKey: conversation.key,
      channel: conversation.channel,
      userId: conversation.userId,
      priority,
      language: conversation.language,
      country: conversation.profile.country,
      topic,
      reason: decision.reason,
      brief: recent.map((text) => `• ${deps.redactor.redact(text)}`).join('\n'),
    });
    conversation.state = 'waiting';
    conversation.caseId = opened.id;
    conversation.unresolved = 0;
    ctx.result.openedCase = opened;
    const wait = t('escalation.waiting', { minutes: deps.options.waitMinutes[priority] });
    ctx.reply(decision.reason === 'safety' ? wait : `${t(NOTICE[decision.reason])}\n\n${wait}`);
    await next();
  };
}
