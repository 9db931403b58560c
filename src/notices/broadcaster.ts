import { PermanentSendError, RateLimitedError } from '../core/errors.js';
import type { NoticeSubscription } from '../core/notices.js';
import type { Translator } from '../core/ports.js';
import { persist } from '../infra/persist-write.js';
import type { BroadcastThrottle } from './broadcast-throttle.js';
import { noticeReaches } from './notice-audience.js';
import { cancellationTemplateParameters, noticeMessage, templateParameters } from './notice-content.js';
import type { NoticeStore } from './notice-store.js';
import { WindowClosedError, type NoticeContent, type NoticeDelivery, type NoticeTransport } from './notice-transports.js';
import type { BroadcastKind, EventNotice, RecipientState } from './notice-types.js';
import type { RedisNoticeSubscriptions } from './subscription-store.js';

export interface BroadcasterOptions {
  /** Messages in flight at once per channel (default 8): enough to keep to the rate while each call takes its time. */
  concurrency?: number;
  /** Attempts per subscriber for errors other than the platform's "slow down" (default 4). */
  attempts?: number;
  /** Pause before attempt n + 1 (default 1 s doubling). */
  backoffMs?: (attempt: number) => number;
  now?: () => Date;
  /** A notice that did not reach someone, or a problem the sending survived: logged by the caller, without ids. */
  onError?: (error: unknown, what: string) => void;
}

/** What became of a run: finished, stopped for a cancelled notice, the notice gone, interrupted (the process stops; the next run goes on), or a reminder too late. */
export type BroadcastOutcome = 'done' | 'cancelled' | 'gone' | 'interrupted' | 'missed';

const FINAL = new Set<string>(['sent', 'failed', 'skipped', 'uncertain']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less when `stop` turns true. */
async function pause(ms: number, stop: () => boolean): Promise<void> {
  for (let left = ms; left > 0 && !stop(); left -= 250) await sleep(Math.min(left, 250));
}

/** A subscriber about to be sent to: who, what, and how (a message, or the template). */
interface Ready {
  key: string;
  subscriber: NoticeSubscription;
  content: NoticeContent;
  delivery: Exclude<NoticeDelivery, { kind: 'skip' }>;
  /** The platform said the window is closed: the template from now on. */
  windowClosed: boolean;
  move(to: RecipientState): Promise<string>;
}

interface Run {
  notice: EventNotice;
  kind: BroadcastKind;
  /** Subscribers who opted in after this sending started do not get it (the cut stays the same when a run is repeated). */
  startedAt: number;
  stop(): boolean;
  /** Re-reads whether the notice was cancelled (at most once a second). */
  refresh(): Promise<void>;
}

/**
 * One sending of one notice (its announcement or its reminder) to every subscriber it is for, on
 * every channel at once, each channel within its rates. Every subscriber's state is kept in Redis
 * (waiting, sending, then sent, failed, skipped or uncertain): a run repeated after a crash sends
 * nobody the notice twice and leaves nobody out, except a message that was being sent at the very
 * moment of a crash, which is not sent again (uncertain, at most once). Each subscription is read
 * again just before its message: a user who opts out meanwhile gets nothing more. A cancelled
 * notice stops at once.
 */
export class Broadcaster {
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly now: () => Date;

  constructor(
    private readonly store: NoticeStore,
    private readonly subscriptions: RedisNoticeSubscriptions,
    private readonly transports: NoticeTransport[],
    private readonly throttle: BroadcastThrottle,
    private readonly translator: Translator,
    private readonly options: BroadcasterOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? ((attempt) => Math.min(30_000, 1_000 * 2 ** (attempt - 1)));
    this.now = options.now ?? (() => new Date());
  }

  /** Sends (or goes on sending) one notice; `stopping` turns true when the process stops, and the run ends soon after. */
  async run(noticeId: string, kind: BroadcastKind, stopping: () => boolean = () => false): Promise<BroadcastOutcome> {
    const notice = await this.store.get(noticeId);
    if (!notice) return 'gone';
    const progress = notice[kind];
    // A cancellation's own sending goes to a cancelled notice; the others stop for one.
    const stopsWhenCancelled = kind !== 'cancellation';
    if (stopsWhenCancelled && notice.status === 'cancelled') {
      if (progress.status !== 'done' && progress.status !== 'cancelled') await this.store.finish(noticeId, kind, 'cancelled', this.now());
      return 'cancelled';
    }
    if (progress.status === 'done') return 'done';
    if (kind === 'reminder' && this.now().getTime() >= Date.parse(notice.startsAt)) {
      await this.store.finish(noticeId, kind, 'missed', this.now());
      return 'missed';
    }
    const started = await this.store.start(noticeId, kind, this.now());
    if (!started) return 'gone';
    let cancelled = false;
    let checkedAt = Date.now();
    const run: Run = {
      notice,
      kind,
      startedAt: started.getTime(),
      stop: () => cancelled || stopping(),
      refresh: async () => {
        if (Date.now() - checkedAt < 1_000) return;
        checkedAt = Date.now();
        const now = await this.store.get(noticeId);
        cancelled = now === undefined || (stopsWhenCancelled && now.status !== 'scheduled');
      },
    };
    await Promise.all(this.transports.map((transport) => this.sendOn(run, transport)));
    if (stopping() && !cancelled) return 'interrupted';
    if (cancelled) {
      await this.store.finish(noticeId, kind, 'cancelled', this.now());
      return 'cancelled';
    }
    await this.store.finish(noticeId, kind, 'done', this.now());
    return 'done';
  }

  /**
   * One channel: its subscribers one after the other, each taking its slot of the rate here (one
   * waiter per channel, so that the rate's slots are used as they come free), the platform calls in
   * the background, at most `concurrency` at once.
   */
  private async sendOn(run: Run, transport: NoticeTransport): Promise<void> {
    const running = new Set<Promise<void>>();
    // A subscriber whose year started over during the sending comes again further on: once is enough.
    const seen = new Set<string>();
    let failed: { error: unknown } | undefined;
    const launch = (task: Promise<void>) => {
      const tracked: Promise<void> = task.catch((error: unknown) => void (failed ??= { error })).finally(() => running.delete(tracked));
      running.add(tracked);
    };
    try {
      walk: for await (const page of this.subscriptions.pages(transport.channel, this.now().getTime())) {
        const fresh = page.filter((key) => !seen.has(key));
        for (const key of fresh) seen.add(key);
        const states = await this.store.states(run.notice.id, run.kind, fresh);
        // A cancellation is for those the notice reached, whatever they have told Lotse since (but not for one who stopped the notices).
        const reached = run.kind === 'cancellation' ? await this.store.reached(run.notice.id, fresh) : undefined;
        for (const [i, key] of fresh.entries()) {
          const state = states[i] ?? '';
          if (FINAL.has(state)) continue;
          await run.refresh();
          if (failed || run.stop()) break walk;
          while (running.size >= this.concurrency) await Promise.race(running);
          const ready = await this.prepare(run, transport, key, state, reached ? reached[i]! : undefined);
          if (ready && (await this.claim(run, transport, ready))) launch(this.send(run, transport, ready));
        }
      }
    } finally {
      await Promise.all(running);
    }
    if (failed) throw failed.error;
  }

  /** Reads the subscriber and decides how the notice reaches them; undefined when it does not (now, or ever). */
  private async prepare(run: Run, transport: NoticeTransport, key: string, state: string, reached?: boolean): Promise<Ready | undefined> {
    const move = (to: RecipientState) => this.store.transition(run.notice, run.kind, key, to);
    // A message was being sent when an earlier run stopped: it may have arrived, so it is not sent again.
    if (state === 'sending') return void (await move('uncertain'));
    const subscriber = await this.subscriptions.get(key);
    if (!subscriber || !this.isFor(run, subscriber, transport, reached)) {
      if (state === 'waiting') await move('skipped');
      return undefined;
    }
    if (state === '') {
      const moved = await move('waiting');
      if (moved !== 'ok' && moved !== 'waiting') return undefined;
    }
    const cancellation = run.kind === 'cancellation';
    const content: NoticeContent = {
      message: noticeMessage(run.notice, run.kind, subscriber, this.translator),
      template: cancellation ? 'cancellation' : 'notice',
      templateParameters: (language) => (cancellation ? cancellationTemplateParameters(run.notice, language) : templateParameters(run.notice, language)),
    };
    const delivery = await transport.plan(subscriber, content);
    if (delivery.kind === 'skip') return void (await move('skipped'));
    return { key, subscriber, content, delivery, windowClosed: false, move };
  }

  /**
   * Takes a slot of the rate and marks the subscriber as being sent to, once more making sure they
   * still want notices; false when stopped, or when they opted out while waiting for the slot.
   */
  private async claim(run: Run, transport: NoticeTransport, ready: Ready): Promise<boolean> {
    if (!(await this.throttle.take(transport.channel, transport.rates, run.stop))) return false;
    // Opted out (or erased) while waiting for the slot: nothing more goes to them.
    if (!(await this.subscriptions.exists(ready.key))) {
      await ready.move('skipped');
      return false;
    }
    try {
      return (await ready.move('sending')) === 'ok';
    } catch (error) {
      // The mark may have reached Redis with its answer lost (a Redis restart): nothing was sent,
      // so it is taken back; left as it is, the next run would count the subscriber uncertain and
      // never send to them.
      await persist(() => ready.move('waiting'));
      throw error;
    }
  }

  /** The platform call of a claimed subscriber, and its retries (each claiming a slot again). Stopped: the subscriber stays waiting, for the next run. */
  private async send(run: Run, transport: NoticeTransport, ready: Ready): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await transport.send(ready.subscriber, ready.delivery);
        await persist(() => ready.move('sent'));
        return;
      } catch (error) {
        await persist(() => ready.move('waiting'));
        if (error instanceof RateLimitedError) {
          attempt -= 1;
          await pause(error.retryAfterSeconds * 1_000, run.stop);
        } else if (error instanceof WindowClosedError && !ready.windowClosed) {
          ready.windowClosed = true;
          attempt -= 1;
        } else if (error instanceof PermanentSendError || attempt >= this.attempts) {
          await ready.move('failed');
          this.options.onError?.(error, `a ${run.kind} on ${transport.channel} was given up on`);
          return;
        } else {
          await pause(this.backoffMs(attempt), run.stop);
        }
      }
      await run.refresh();
      if (run.stop()) return;
      const delivery = await transport.plan(ready.subscriber, ready.content, ready.windowClosed);
      if (delivery.kind === 'skip') return void (await ready.move('skipped'));
      ready.delivery = delivery;
      if (!(await this.claim(run, transport, ready))) return;
    }
  }

  /**
   * Whether this sending is for the subscriber: on this channel, and subscribed before it started
   * and in the notice's languages, countries and audience, or, for a cancellation, reached by the notice.
   */
  private isFor(run: Run, subscriber: NoticeSubscription, transport: NoticeTransport, reached?: boolean): boolean {
    if (subscriber.channel !== transport.channel) return false;
    if (run.kind === 'cancellation') return reached === true;
    return Date.parse(subscriber.optedInAt) <= run.startedAt && noticeReaches(run.notice, subscriber);
  }
}
