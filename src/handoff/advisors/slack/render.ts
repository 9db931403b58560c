import type { types } from '@slack/bolt';
import type { AdvisorRef, Case, CaseOutcome, CasePriority, ChannelNotice } from '../../../core/case.js';
import { CASE_OUTCOMES } from '../../../core/case.js';
import type { EscalationReason } from '../../../core/answer.js';

type KnownBlock = types.KnownBlock;
type ActionsElement = types.ActionsBlockElement;

/** The action ids of the case message's controls; Slack sends them back on a click. */
export const CASE_ACTION = { claim: 'case_claim', release: 'case_release', resolve: 'case_resolve' } as const;

/** Slack's limits: a section's text, a header's text, a message's fallback text. */
const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;
const TEXT_LIMIT = 3500;

const PRIORITY_LABEL: Record<CasePriority, string> = { urgent: ':rotating_light: Urgent', high: ':large_orange_circle: High', normal: ':white_circle: Normal' };
const REASON_LABEL: Record<EscalationReason, string> = {
  user_request: 'asked for an advisor',
  low_confidence: 'Lotse could not answer well enough',
  sensitive: 'sensitive situation',
  safety: 'safety concern',
};
/** "safety concern: medical emergency" where the kind of danger is known. */
export const reasonLabel = (c: Pick<Case, 'reason' | 'danger'>) => (c.danger ? `${REASON_LABEL[c.reason]}: ${c.danger.replace(/_/g, ' ')}` : REASON_LABEL[c.reason]);
export const OUTCOME_LABEL: Record<CaseOutcome, string> = { answered: 'Answered', referred: 'Referred elsewhere', no_show: 'User did not respond', other: 'Other' };

/** The actions block carries the case id, so a select (whose value is the outcome) still names its case. */
export const caseBlockId = (caseId: string) => `case:${caseId}`;
export const caseIdFromBlockId = (blockId: string | undefined) => (blockId?.startsWith('case:') ? blockId.slice(5) : undefined);

/** Text that goes into mrkdwn: Slack's three control characters escaped, so a user cannot write a mention or a link. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cuts to `limit` characters on a code point boundary, marking the cut. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${Array.from(text.slice(0, limit - 1)).join('')}…`;
}

/** "Arabic (ar)"; the code alone when the runtime has no name for it. */
function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames('en', { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function countryName(code: string | undefined): string {
  if (!code) return 'not known';
  try {
    const name = new Intl.DisplayNames('en', { type: 'region' }).of(code.toUpperCase());
    return name && name !== code.toUpperCase() ? `${name} (${code.toUpperCase()})` : code;
  } catch {
    return code;
  }
}

/** An advisor by name, with a mention so that Slack shows their current display name next to it. */
export const advisorLabel = (advisor: AdvisorRef) => (advisor.via === 'slack' && /^[UW][A-Z0-9]+$/.test(advisor.id) ? `${escapeMrkdwn(advisor.name)} (<@${advisor.id}>)` : escapeMrkdwn(advisor.name));

/** The one line of state the whole channel reads: waiting, with whom, or how it ended. */
export function statusLine(c: Case, movedTo?: string): string {
  if (movedTo) return `:arrow_right: Moved to *${escapeMrkdwn(movedTo)}*`;
  switch (c.status) {
    case 'open':
      return ':hourglass_flowing_sand: *Waiting for an advisor*';
    case 'claimed':
      return `:raising_hand: *Held by* ${c.claimedBy ? advisorLabel(c.claimedBy) : 'an advisor'}`;
    case 'resolved':
      return `:white_check_mark: *Resolved*${c.claimedBy ? ` by ${advisorLabel(c.claimedBy)}` : ''}${c.outcome ? ` — ${OUTCOME_LABEL[c.outcome]}` : ''}`;
    case 'cancelled':
      return ':no_entry_sign: *Cancelled* (the user went back to Lotse or deleted the conversation)';
  }
}

/** Claim while open, release while held; resolving (with an outcome) while the case is active. Nothing once it is closed or moved. */
function controls(c: Case): KnownBlock[] {
  if (c.status !== 'open' && c.status !== 'claimed') return [];
  const elements: ActionsElement[] = [];
  if (c.status === 'open') {
    elements.push({ type: 'button', action_id: CASE_ACTION.claim, text: { type: 'plain_text', text: 'Claim' }, style: 'primary', value: c.id });
  } else {
    elements.push({ type: 'button', action_id: CASE_ACTION.release, text: { type: 'plain_text', text: 'Release' }, value: c.id });
  }
  elements.push({
    type: 'static_select',
    action_id: CASE_ACTION.resolve,
    placeholder: { type: 'plain_text', text: 'Resolve as…' },
    options: CASE_OUTCOMES.map((outcome) => ({ text: { type: 'plain_text', text: OUTCOME_LABEL[outcome] }, value: outcome })),
  });
  return [{ type: 'actions', block_id: caseBlockId(c.id), elements }];
}

/** The structured brief, when the pipeline gave one: what was asked and answered, the facts, what is open. */
function details(c: Case): KnownBlock[] {
  const d = c.details;
  if (!d) return [];
  const lines: string[] = [];
  if (d.summary) lines.push(`*Summary:* ${escapeMrkdwn(d.summary)}`);
  if (d.asked.length > 0) lines.push(`*Asked:*\n${d.asked.slice(-3).map((q) => `• ${escapeMrkdwn(cut(q, 400))}`).join('\n')}`);
  if (d.answered) lines.push(`*Lotse answered:* ${escapeMrkdwn(cut(d.answered, 600))}`);
  if (d.sources.length > 0) lines.push(`*Sources:* ${d.sources.slice(0, 5).map((s) => `<${s.url.replace(/[<>|]/g, '')}|${escapeMrkdwn(s.title).replace(/\|/g, '¦')}>`).join(', ')}`);
  const facts = Object.entries(d.facts);
  if (facts.length > 0) lines.push(`*Facts:* ${facts.map(([key, value]) => `${escapeMrkdwn(key)}: ${escapeMrkdwn(value)}`).join('; ')}`);
  if (d.open) lines.push(`*Still open:* ${escapeMrkdwn(d.open)}`);
  return lines.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), SECTION_LIMIT) } }] : [];
}

export interface RenderOptions {
  /** The pool's display name (default: its id). */
  poolName?: string;
  /** The case went to this pool's channel: this message stays as a pointer, without controls. */
  movedTo?: string;
}

/**
 * The case message in its pool's channel: headline (priority, reason), the brief, language,
 * country, pool, who holds it, and the controls that fit its status. `text` is the notification
 * and screen-reader fallback.
 */
export function renderCase(c: Case, options: RenderOptions = {}): { text: string; blocks: KnownBlock[] } {
  const headline = `${PRIORITY_LABEL[c.priority]} case: ${reasonLabel(c)}`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(headline, HEADER_LIMIT), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escapeMrkdwn(c.brief || '(no brief)'), SECTION_LIMIT) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Language*\n${escapeMrkdwn(languageName(c.language))}` },
        { type: 'mrkdwn', text: `*Country*\n${escapeMrkdwn(countryName(c.country))}` },
        { type: 'mrkdwn', text: `*Priority*\n${PRIORITY_LABEL[c.priority]}` },
        { type: 'mrkdwn', text: `*Reason*\n${reasonLabel(c)}` },
        { type: 'mrkdwn', text: `*Pool*\n${escapeMrkdwn(options.poolName ?? c.pool)}${c.wantsWoman ? '\n_asked for a woman advisor_' : ''}` },
        ...(c.topic ? [{ type: 'mrkdwn' as const, text: `*Topic*\n${escapeMrkdwn(c.topic)}` }] : []),
      ],
    },
    ...details(c),
    { type: 'section', text: { type: 'mrkdwn', text: statusLine(c, options.movedTo) } },
    ...(options.movedTo ? [] : controls(c)),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Case ${escapeMrkdwn(c.id)} · opened ${c.createdAt} · reply in this thread to write to the user once you hold the case` }] },
  ];
  const state = options.movedTo ? `moved to ${options.movedTo}` : c.status === 'claimed' && c.claimedBy ? `held by ${c.claimedBy.name}` : c.status;
  return { text: cut(`${headline} (${state}): ${c.brief}`, TEXT_LIMIT), blocks };
}

/** An SLA reminder: how long the case has waited, in its thread (and broadcast to the channel). */
export function renderReminder(c: Case, step: number, now = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(c.createdAt)) / 60_000));
  const waited = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
  return `:alarm_clock: Reminder ${step}: this ${c.priority} case (${REASON_LABEL[c.reason]}, ${c.language}${c.country ? `, ${c.country}` : ''}) has waited ${waited} for an advisor.`;
}

/** "14:05" in UTC: advisors may sit in other time zones than the server, so the zone is named with it. */
function utcTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? escapeMrkdwn(iso) : at.toISOString().slice(11, 16);
}

/**
 * What the user's channel limits, in the case's thread: WhatsApp lets a business write freely only
 * within 24 hours of the user's last message, so the advisor is warned before that and told after.
 */
export function renderChannelNotice(notice: ChannelNotice): string {
  if (notice.kind === 'window_closing') {
    return `:hourglass_flowing_sand: *WhatsApp:* the 24-hour window for free replies closes at ${utcTime(notice.closesAt)} (UTC) — reply before then; afterwards only an approved template reaches the user.`;
  }
  const told = notice.template ? 'the user was sent the approved template.' : 'no template is configured, so the user was not told.';
  return `:no_entry: *WhatsApp:* the 24-hour window has closed. Your replies wait until the user writes again; ${told}`;
}
