import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { ValidNotice } from './notice-input.js';
import { noticeJobId, type NoticeJob } from './notice-queue.js';
import type { NoticeStore } from './notice-store.js';
import type { EventNotice, StoredNotice } from './notice-types.js';

export interface NoticeServiceOptions {
  /** How long before the event the reminder goes out (default an hour); an event announced less than this ahead gets none. */
  reminderLeadMs?: number;
  /** How long after a cancellation its word goes out (default 3 s): time for a sending under way to stop. */
  cancellationDelayMs?: number;
  now?: () => Date;
}

export type CancelResult = { ok: true; notice: StoredNotice } | { ok: false; reason: 'not_found' | 'not_upcoming' };

/**
 * What programme staff do with event notices: announce one (stored, its announcement queued at
 * once, its reminder as a delayed job), cancel an upcoming one (its reminder removed; a sending
 * under way stops; everyone it reached is told), and list them with their counts.
 */
export class NoticeService {
  readonly reminderLeadMs: number;
  private readonly cancellationDelayMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: NoticeStore,
    private readonly queue: Queue<NoticeJob>,
    options: NoticeServiceOptions = {},
  ) {
    this.reminderLeadMs = options.reminderLeadMs ?? 3_600_000;
    this.cancellationDelayMs = options.cancellationDelayMs ?? 3_000;
    this.now = options.now ?? (() => new Date());
  }

  async announce(input: ValidNotice, by: string): Promise<StoredNotice> {
    const now = this.now();
    const remindAt = input.startsAt.getTime() - this.reminderLeadMs;
    const notice: EventNotice = {
      id: randomBytes(6).toString('hex'),
      title: input.title,
      titles: input.titles,
      startsAt: input.startsAt.toISOString(),
      timeZone: input.timeZone,
      link: input.link,
      countries: input.countries,
      languages: input.languages,
      audience: input.audience,
      createdBy: by,
      createdAt: now.toISOString(),
      status: 'scheduled',
      // Announced less than the lead ahead: the announcement is the reminder.
      reminderAt: remindAt > now.getTime() ? new Date(remindAt).toISOString() : undefined,
    };
    await this.store.create(notice);
    try {
      await this.queue.add('announce', { noticeId: notice.id, kind: 'announce' }, { jobId: noticeJobId(notice.id, 'announce') });
      if (notice.reminderAt) await this.queue.add('reminder', { noticeId: notice.id, kind: 'reminder' }, { jobId: noticeJobId(notice.id, 'reminder'), delay: remindAt - now.getTime() });
    } catch (error) {
      // Not queued, not announced: staff see the error and try again.
      await this.queue.remove(noticeJobId(notice.id, 'announce')).catch(() => undefined);
      await this.store.remove(notice.id).catch(() => undefined);
      throw error;
    }
    return (await this.store.get(notice.id))!;
  }

  async cancel(id: string, by: string): Promise<CancelResult> {
    const notice = await this.store.get(id);
    if (!notice) return { ok: false, reason: 'not_found' };
    if (notice.status !== 'scheduled' || Date.parse(notice.startsAt) <= this.now().getTime()) return { ok: false, reason: 'not_upcoming' };
    await this.store.cancel(id, by, this.now());
    // A reminder already running sees the cancellation and stops; one still waiting goes.
    await this.queue.remove(noticeJobId(id, 'reminder')).catch(() => undefined);
    // Everyone the notice reached is told. A sending under way stops within a second or two: the
    // word goes after that, so that it reaches those whose notice was still on its way.
    await this.queue.add('cancellation', { noticeId: id, kind: 'cancellation' }, { jobId: noticeJobId(id, 'cancellation'), delay: this.cancellationDelayMs });
    return { ok: true, notice: (await this.store.get(id))! };
  }

  /** Upcoming notices (soonest first) and past ones (latest first). */
  async list(): Promise<{ upcoming: StoredNotice[]; past: StoredNotice[] }> {
    const now = this.now().getTime();
    const all = await this.store.list(now);
    return {
      upcoming: all.filter((notice) => Date.parse(notice.startsAt) > now),
      past: all.filter((notice) => Date.parse(notice.startsAt) <= now).reverse(),
    };
  }
}
