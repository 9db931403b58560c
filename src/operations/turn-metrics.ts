import type { HandleMessage } from '../core/conversation-pipeline.js';
import type { Metrics } from '../infra/metrics.js';
import { channelLabel, dangerLabel, oneOf, reasonLabel } from './metric-labels.js';

const OUTCOMES = ['answered', 'unanswered', 'escalated'] as const;

/**
 * The conversation pipeline, timed and counted: the turn's time per channel, an escalation by
 * reason and kind of danger, and retrieval's confidence for a question (from the turn's facts,
 * which carry no identifier).
 */
export function countedTurns(handle: HandleMessage, metrics: Metrics): HandleMessage {
  return async (message) => {
    const end = metrics.turns.startTimer({ channel: channelLabel(message.channel) });
    const result = await handle(message);
    end();
    if (result.escalation) metrics.escalations.inc({ reason: reasonLabel(result.escalation.reason), danger: dangerLabel(result.escalation.reason, result.escalation.danger) });
    const question = result.facts?.question;
    if (question && Number.isFinite(question.confidence)) metrics.confidence.observe({ outcome: oneOf(OUTCOMES, question.outcome) }, Math.min(1, Math.max(0, question.confidence)));
    return result;
  };
}
