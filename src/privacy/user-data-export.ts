import type { ConversationStore, ErasureParticipant } from '../core/ports.js';
import { conversationKey } from '../core/message.js';
import type { CaseRepository } from '../handoff/case-repository.js';

/** Where an export reads: the core stores and every participant. */
export interface ExportSources {
  conversations: Pick<ConversationStore, 'get'>;
  cases: Pick<CaseRepository, 'caseIdsOf' | 'get' | 'events'>;
  participants: readonly ErasureParticipant[];
  retentionDays: number;
  now?: () => Date;
}

/** One section of "what Lotse holds": its name, what it is and how long it is kept, and how many items the user has there. */
export interface HeldSection {
  section: string;
  what: string;
  items: number;
}

/** `npm run export`'s document: a header, then each section's data (null or [] where the user has nothing). */
export interface UserDataExport {
  about: {
    document: string;
    exportedAt: string;
    channel: string;
    userId: string;
    retentionDays: number;
    /** Every section Lotse has, also those where it holds nothing of this user. */
    holds: HeldSection[];
    notListed: string;
  };
  data: Record<string, unknown>;
}

/**
 * Everything Lotse holds about one user, for a request of access (GDPR Art. 15): the conversation
 * record (read through its store, so a deflated one reads as any other), every case with its whole
 * history, and what each participant holds. A section where the user has nothing is still listed.
 */
export async function exportUserData(sources: ExportSources, channel: string, userId: string): Promise<UserDataExport> {
  const key = conversationKey(channel, userId);
  const days = sources.retentionDays;
  const conversation = (await sources.conversations.get(key)) ?? null;
  const cases = [];
  for (const id of (await sources.cases.caseIdsOf(key)).sort()) {
    const [found, history] = await Promise.all([sources.cases.get(id), sources.cases.events(id)]);
    if (found || history.length > 0) cases.push({ ...(found ?? { id }), history });
  }
  const data: Record<string, unknown> = { conversation, cases };
  const holds: HeldSection[] = [
    {
      section: 'conversation',
      what: `The conversation record: language, the answer to the privacy notice, the profile (country, going to Germany or returned), where a handoff stands, the recent turns (up to 20) and a question waiting for an answer. Kept ${days} days after the last message; a question sent before agreeing, one day at most.`,
      items: conversation ? 1 : 0,
    },
    {
      section: 'cases',
      what: `Conversations handed to the advisors of the advice centres: the brief, and the whole history (the user's messages and files as references, Lotse's answers, the advisors' replies and actions). Kept ${days} days after the case's last event.`,
      items: cases.length,
    },
  ];
  for (const participant of sources.participants) {
    const held = participant.export ? ((await participant.export(key)) ?? null) : null;
    data[participant.name] = held;
    holds.push({ section: participant.name, what: participant.holds ?? participant.name, items: countItems(held) });
  }
  return {
    about: {
      document: 'Everything Lotse holds about one user (right of access, GDPR Art. 15).',
      exportedAt: (sources.now?.() ?? new Date()).toISOString(),
      channel,
      userId,
      retentionDays: days,
      holds,
      notListed: 'Markers that only say a platform message was handled (its id, a day at most) and keyed hashes of the conversation in logs and metrics: they hold nothing the user wrote. "delete" erases the markers too.',
    },
    data,
  };
}

/** How many items a section holds: an array's entries, an object's parts (each list counting its entries), nothing for null. */
export function countItems(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object') return Object.values(value).reduce<number>((sum, part) => sum + (typeof part === 'object' ? countItems(part) : part === undefined ? 0 : 1), 0);
  return 1;
}

/** The sections that hold something, with their counts. */
export function heldCounts(exported: UserDataExport): Record<string, number> {
  return Object.fromEntries(exported.about.holds.filter((held) => held.items > 0).map((held) => [held.section, held.items]));
}
