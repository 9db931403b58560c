import type { Language } from '../core/knowledge.js';

/** Who a notice is for: people planning to go to Germany, people who have come back, or both. */
export const NOTICE_AUDIENCES = ['prospective', 'returnee', 'both'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];

/**
 * The sendings of a notice: when it is announced, the reminder before the event, and, should staff
 * cancel it, the word that it will not take place to everyone the announcement or reminder reached.
 */
export const BROADCAST_KINDS = ['announce', 'reminder', 'cancellation'] as const;
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];

/** An event announced by programme staff: a virtual job fair, an online training, a centre's information day. */
export interface EventNotice {
  id: string;
  /** The title as staff wrote it: sent to users whose language has no title of its own. */
  title: string;
  /** The title in other languages, where staff gave one. */
  titles: Partial<Record<Language, string>>;
  /** When the event starts (ISO, UTC). */
  startsAt: string;
  /** The IANA time zone the event's time is given in (and shown in). */
  timeZone: string;
  /** An https address: details and registration. */
  link: string;
  /** ISO 3166-1 alpha-2 codes, or every country. */
  countries: 'all' | string[];
  languages: 'all' | Language[];
  audience: NoticeAudience;
  /** The console account that announced it. */
  createdBy: string;
  createdAt: string;
  status: 'scheduled' | 'cancelled';
  cancelledAt?: string;
  cancelledBy?: string;
  /** When the reminder goes out (ISO); none for an event announced less than the reminder's lead ahead. */
  reminderAt?: string;
}

/** Where one sending of a notice stands. */
export type BroadcastStatus = 'none' | 'scheduled' | 'queued' | 'sending' | 'done' | 'failed' | 'cancelled' | 'missed';

/** One sending's progress: subscribers matched, and what became of each. */
export interface BroadcastProgress {
  status: BroadcastStatus;
  startedAt?: string;
  finishedAt?: string;
  matched: number;
  sent: number;
  failed: number;
  /** Not sent on purpose: WhatsApp outside the 24-hour window without a notice template, or the user stopped the notices meanwhile. */
  skipped: number;
  /** Being sent when a process died: not sent again (at most once), so unknown whether it arrived. */
  uncertain: number;
}

export interface StoredNotice extends EventNotice {
  announce: BroadcastProgress;
  reminder: BroadcastProgress;
  cancellation: BroadcastProgress;
}

/**
 * What became of one subscriber in one sending: matched and waiting for its turn, being sent, sent,
 * failed, skipped, or uncertain (a process died during the platform call).
 */
export type RecipientState = 'waiting' | 'sending' | 'sent' | 'failed' | 'skipped' | 'uncertain';
