import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import { CASE_OUTCOMES, type AdvisorRef, type CaseOutcome } from '../../../core/case.js';
import type { ActionResult, HandoffApi } from '../../handoff-api.js';
import type { WebClient } from './client.js';
import { CASE_ACTION, caseIdFromBlockId, escapeMrkdwn } from './render.js';

type CaseAction = 'claim' | 'release' | 'resolve' | 'reply';

const DOING: Record<CaseAction, string> = { claim: 'claim it', release: 'release it', resolve: 'resolve it', reply: 'write to the user' };

/** What a click on a case message asks for, read from Slack's block_actions payload. */
export interface CaseActionRequest {
  caseId: string;
  advisor: AdvisorRef;
  /** Where the click happened: the ephemeral answer goes there. */
  channel?: string;
  threadTs?: string;
  outcome?: CaseOutcome;
}

/** Reads the case, the advisor and the outcome from a click; undefined when it does not name a case. */
export function readCaseAction(body: BlockAction, action: BlockElementAction): CaseActionRequest | undefined {
  // A button carries the case id as its value; a select's value is the outcome, so the block names the case.
  const caseId = caseIdFromBlockId(action.block_id) ?? (action.type === 'button' ? action.value : undefined);
  if (!caseId) return undefined;
  const selected = action.type === 'static_select' ? action.selected_option?.value : action.type === 'overflow' ? action.selected_option?.value : undefined;
  const outcome = CASE_OUTCOMES.find((known) => known === selected);
  const user = body.user;
  return {
    caseId,
    advisor: { id: user.id, name: user.name ?? user.username ?? user.id, via: 'slack' },
    channel: body.channel?.id ?? body.container?.channel_id,
    threadTs: body.message?.thread_ts,
    outcome,
  };
}

/** What the advisor is told when their click changed nothing; undefined when it worked (the case message shows it). */
export function refusalText(result: ActionResult, request: Pick<CaseActionRequest, 'advisor'>, action: CaseAction): string | undefined {
  if (result.ok) return undefined;
  switch (result.reason) {
    case 'taken':
      if (result.heldBy?.id === request.advisor.id) return action === 'claim' ? 'You already hold this case.' : undefined;
      return `This case is held by ${result.heldBy ? escapeMrkdwn(result.heldBy.name) : 'another advisor'}; only they can ${DOING[action]} now.`;
    case 'closed':
      return 'This case is already closed.';
    case 'not_holder':
      return action === 'release' ? 'Nobody holds this case; there is nothing to release.' : `Only the advisor who holds this case can ${DOING[action]}. Claim it first.`;
    case 'not_found':
      return 'This case no longer exists (the user may have deleted their conversation).';
    case 'not_allowed':
      return 'This case belongs to a pool you are not part of.';
  }
}

export interface CaseActionDeps {
  handoff: HandoffApi;
  onError: (error: unknown) => void;
}

/**
 * Claim, release and resolve from the case message's controls. Each click is acknowledged first
 * (Slack wants an answer within 3 s) and then done through the HandoffApi, which decides atomically:
 * of two advisors claiming at once exactly one wins, and the other is told who has the case, in a
 * message only they see. The case message itself is updated by the transport, on the event the
 * action caused: one writer per message, in the case's order.
 */
export function registerCaseActions(app: App, deps: CaseActionDeps): void {
  const handle = (action: Exclude<CaseAction, 'reply'>, run: (request: CaseActionRequest) => Promise<ActionResult>) =>
    app.action<BlockAction>(CASE_ACTION[action], async ({ ack, body, action: element, client }) => {
      await ack();
      const request = readCaseAction(body, element);
      if (!request) return;
      let text: string | undefined;
      try {
        text = refusalText(await run(request), request, action);
      } catch (error) {
        deps.onError(error);
        text = `Lotse could not ${action} the case just now; please try again.`;
      }
      if (text) await tellAdvisor(client, request, text).catch(deps.onError);
    });

  handle('claim', (request) => deps.handoff.claim(request.caseId, request.advisor));
  handle('release', (request) => deps.handoff.release(request.caseId, request.advisor));
  handle('resolve', (request) => deps.handoff.resolve(request.caseId, request.advisor, request.outcome));
}

/** A message only this advisor sees, where they clicked. */
async function tellAdvisor(client: WebClient, request: CaseActionRequest, text: string): Promise<void> {
  if (!request.channel) return;
  await client.chat.postEphemeral({ channel: request.channel, user: request.advisor.id, text, ...(request.threadTs ? { thread_ts: request.threadTs } : {}) });
}
