import type { EmergencyContact } from '../ports.js';
import type { PipelineDeps } from '../pipeline-deps.js';
import type { TurnContext } from '../turn-context.js';

/** The contacts as lines under one heading per country ("Help in Ghana:", "In Germany:"). */
export function contactBlocks(deps: PipelineDeps, ctx: TurnContext, contacts: EmergencyContact[]): string[] {
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  const byCountry = new Map<string, EmergencyContact[]>();
  for (const contact of contacts) byCountry.set(contact.country, [...(byCountry.get(contact.country) ?? []), contact]);
  return [...byCountry].map(([country, list]) => {
    const heading = t('danger.helpIn', { country: deps.emergency.countryName(country, ctx.language) ?? country });
    return [heading, ...list.map((c) => `• ${c.name}: ${c.number}${c.note ? ` (${c.note})` : ''}`)].join('\n');
  });
}

/**
 * The reply to danger, once per turn: what fits this kind of danger, the numbers for it in the
 * user's country and in Germany (with names and notes in the user's language), and that an advisor
 * is coming. Without a known country it asks for one, in one short question, to send local numbers.
 */
export function safetyReply(deps: PipelineDeps, ctx: TurnContext, options: { askCountry?: boolean } = {}): void {
  if (ctx.contactsShown) return;
  ctx.contactsShown = true;
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  const conversation = ctx.conversation;
  const danger = ctx.risk?.danger;
  const country = conversation.profile.country;
  const parts = [t(danger ? `danger.${danger}` : 'escalation.safety'), ...contactBlocks(deps, ctx, deps.emergency.contactsFor(country, danger, ctx.language))];
  const askCountry = !country && options.askCountry !== false;
  if (askCountry) {
    parts.push(t('danger.askCountry'));
    conversation.pending = 'help_country';
    conversation.helpFor = danger ?? 'unknown';
  } else if (country && !deps.emergency.covers(country)) {
    parts.push(t('danger.noLocal'));
  }
  parts.push(t('escalation.safetyAdvisor'));
  ctx.reply(parts.join('\n\n'), askCountry ? { buttons: [{ label: t('buttons.inGermany'), action: 'help:DE' }] } : {});
}

/**
 * The answer to "which country are you in?" after a safety reply: the local numbers for the same
 * danger, and the country kept in the profile. True when the message was that answer.
 */
export async function answerHelpCountry(deps: PipelineDeps, ctx: TurnContext): Promise<boolean> {
  const conversation = ctx.conversation;
  const action = ctx.message.action?.startsWith('help:') ? ctx.message.action.slice(5) : undefined;
  const country = action ?? deps.countries.parse(ctx.text);
  if (!country) return false;
  const danger = conversation.helpFor && conversation.helpFor !== 'unknown' ? conversation.helpFor : undefined;
  conversation.profile.country = country;
  conversation.pending = undefined;
  conversation.helpFor = undefined;
  const t = (key: string, params?: Record<string, unknown>) => deps.translator.t(ctx.language, key, params);
  const contacts = deps.emergency.contactsFor(country, danger, ctx.language).filter((c) => country === 'DE' || c.country === country);
  const parts = deps.emergency.covers(country) ? contactBlocks(deps, ctx, contacts) : [t('danger.noLocal')];
  ctx.reply(parts.join('\n\n'));
  // The advisors see the answer too, when a case is open.
  const open = await deps.cases.findOpen(conversation.key);
  if (open) await deps.cases.record(open, { type: 'user_message', text: ctx.text }, ctx.message.id);
  return true;
}
