import type { Case } from '../../../core/case.js';
import type { ActionResult } from '../../handoff-api.js';
import { ConsoleRefusal } from './refusals.js';

/**
 * A case as the console shows it: everything an advisor needs, and not the user's address on
 * their channel (userId, conversationKey), which the advisor never needs and the page must not hold.
 */
export function caseView(c: Case) {
  return {
    id: c.id,
    channel: c.channel,
    priority: c.priority,
    language: c.language,
    country: c.country,
    topic: c.topic,
    reason: c.reason,
    danger: c.danger,
    brief: c.brief,
    details: c.details,
    status: c.status,
    pool: c.pool,
    wantsWoman: c.wantsWoman ?? false,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    claimedBy: c.claimedBy ? { id: c.claimedBy.id, name: c.claimedBy.name, via: c.claimedBy.via } : undefined,
    claimedAt: c.claimedAt,
    closedAt: c.closedAt,
    outcome: c.outcome,
  };
}

export type CaseView = ReturnType<typeof caseView>;

export const NOT_YOUR_POOL = 'This case is not in your pools.';
export const NO_SUCH_CASE = 'There is no such case.';

/** The case after an action, or the refusal that says why not (403 for another pool's case). */
export function actionAnswer(result: ActionResult): { case: CaseView } {
  if (result.ok) return { case: caseView(result.case) };
  switch (result.reason) {
    case 'taken':
      throw new ConsoleRefusal(409, result.heldBy ? `${result.heldBy.name} has this case.` : 'Another advisor has this case.');
    case 'closed':
      throw new ConsoleRefusal(409, 'This case is closed.');
    case 'not_holder':
      throw new ConsoleRefusal(409, 'Claim the case first.');
    case 'not_allowed':
      throw new ConsoleRefusal(403, NOT_YOUR_POOL);
    case 'not_found':
      throw new ConsoleRefusal(404, NO_SUCH_CASE);
  }
}
