import type { FakeTelegramServer } from '../../helpers/fake-telegram-server.js';
import { marker, questionText } from './questions.js';
import type { SentRecorder } from './sent-recorder.js';
import { SETTINGS } from './settings.js';
import { sleep, waitFor } from './wait.js';

export interface Question {
  conversation: number;
  index: number;
  marker: string;
  text: string;
  /** performance.now() when first posted (webhook) or pushed (polling), and when the gateway answered 200 (polling: = posted). */
  postedAt?: number;
  acceptedAt?: number;
}

export interface Conversation {
  /** Its number in the marker (c<n>). */
  n: number;
  chatId: number;
  questions: Question[];
}

/** What delivering updates took: Telegram's view of the webhook. */
export interface DeliveryStats {
  /** Updates handed over (webhook: answered 200; polling: pushed to getUpdates). */
  accepted: number;
  /** Webhook calls made, retries included. */
  attempts: number;
  /** 503 answers (the gateway could not queue: Redis down). */
  status503: number;
  /** Other non-200 answers, by status. */
  otherStatus: Record<string, number>;
  /** Refused or reset connections, timeouts. */
  connectionErrors: number;
  /** Updates given up on after the delivery deadline (a harness-level failure: never reached Lotse). */
  gaveUp: { chatId: number; what: string; last: string }[];
  /** performance.now() of every 503, to check it happened during an outage. */
  at503: number[];
}

/** One line: what delivering the updates took. */
export function formatDelivery(stats: DeliveryStats): string {
  const other = Object.entries(stats.otherStatus).map(([status, n]) => `${status}×${n}`).join(', ') || 'none';
  const gaveUp = stats.gaveUp.length === 0 ? '' : `; GAVE UP on ${stats.gaveUp.length}, e.g. chat ${stats.gaveUp[0]!.chatId} ${stats.gaveUp[0]!.what} (${stats.gaveUp[0]!.last})`;
  return `delivery: ${stats.accepted} updates accepted in ${stats.attempts} calls; 503 ×${stats.status503}, other statuses ${other}, connection errors ×${stats.connectionErrors}${gaveUp}`;
}

export interface Target {
  telegram: FakeTelegramServer;
  recorder: SentRecorder;
  telegramMode: 'webhook' | 'polling';
  gatewayUrl: string;
  webhookSecret: string;
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

/**
 * Telegram users talking to Lotse: consent first ("Hello", the privacy notice, the choice:yes
 * button, the confirmation), then questions carrying unique markers. Webhook mode posts each update
 * to /telegram/webhook with the secret and retries as Telegram does (on 503, other 5xx, 429 and
 * connection errors, with backoff, until a deadline); polling mode pushes them to the fake getUpdates.
 */
export class LoadDriver {
  readonly stats: DeliveryStats = { accepted: 0, attempts: 0, status503: 0, otherStatus: {}, connectionErrors: 0, gaveUp: [], at503: [] };
  private nextUpdateId = 1;

  constructor(private readonly target: Target) {}

  /** `count` conversations of `questions` questions each; chat ids from `firstChatId`, marker numbers from `firstN`. */
  static conversations(count: number, questions: number, firstChatId: number, firstN = 0): Conversation[] {
    return Array.from({ length: count }, (_, i) => {
      const n = firstN + i;
      return { n, chatId: firstChatId + i, questions: Array.from({ length: questions }, (_, q) => ({ conversation: n, index: q, marker: marker(n, q), text: questionText(n, q) })) };
    });
  }

  /** Delivers one update; resolves with the time it was accepted, or undefined if given up. */
  async deliver(chatId: number, update: Record<string, unknown>, what: string): Promise<number | undefined> {
    const { telegram } = this.target;
    if (this.target.telegramMode === 'polling') {
      telegram.pushUpdate(update);
      this.stats.accepted += 1;
      return performance.now();
    }
    const body = JSON.stringify({ update_id: this.nextUpdateId++, ...update });
    const deadline = performance.now() + SETTINGS.delivery.deadlineMs;
    let backoff: number = SETTINGS.delivery.backoffMinMs;
    let last = '';
    for (;;) {
      this.stats.attempts += 1;
      try {
        const response = await fetch(`${this.target.gatewayUrl}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': this.target.webhookSecret },
          body,
          signal: AbortSignal.timeout(SETTINGS.delivery.requestTimeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.status === 200) {
          this.stats.accepted += 1;
          return performance.now();
        }
        last = `HTTP ${response.status}`;
        if (response.status === 503) {
          this.stats.status503 += 1;
          this.stats.at503.push(performance.now());
        } else {
          this.stats.otherStatus[response.status] = (this.stats.otherStatus[response.status] ?? 0) + 1;
          // Telegram retries every failure, but a 4xx other than 429 means the harness sent something wrong.
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            this.stats.gaveUp.push({ chatId, what, last });
            return undefined;
          }
        }
      } catch (error) {
        this.stats.connectionErrors += 1;
        last = String((error as Error).cause ?? error);
      }
      if (performance.now() + backoff > deadline) {
        this.stats.gaveUp.push({ chatId, what, last });
        return undefined;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, SETTINGS.delivery.backoffMaxMs);
    }
  }

  /**
   * Takes conversations through consent. Throws, naming the conversations and what they got, if
   * some do not get the notice with choice:yes / choice:no and then the confirmation in time.
   */
  async consent(conversations: Conversation[]): Promise<void> {
    const { telegram, recorder } = this.target;
    const deadline = performance.now() + SETTINGS.consent.timeoutMs;
    const failed: string[] = [];
    await pool(conversations, SETTINGS.consent.concurrency, async (c) => {
      const before = recorder.count(c.chatId);
      const got = () => recorder.to(c.chatId).slice(before);
      const left = () => Math.max(0, deadline - performance.now());
      const describe = (step: string) => `chat ${c.chatId} (c${c.n}) ${step}; received: ${JSON.stringify(got().map((m) => ({ text: m.text.slice(0, 80), buttons: m.buttons })))}`;
      if ((await this.deliver(c.chatId, telegram.textUpdate(c.chatId, 'Hello'), 'Hello')) === undefined) return void failed.push(describe('Hello not delivered'));
      if (!(await waitFor(() => got().some((m) => m.buttons.includes('choice:yes')), left(), 25))) return void failed.push(describe('no privacy notice with choice:yes'));
      const count = got().length;
      if ((await this.deliver(c.chatId, telegram.callbackUpdate(c.chatId, 'choice:yes'), 'choice:yes')) === undefined) return void failed.push(describe('choice:yes not delivered'));
      if (!(await waitFor(() => got().length > count, left(), 25))) return void failed.push(describe('no consent confirmation'));
    });
    if (failed.length > 0) throw new Error(`consent: ${failed.length} of ${conversations.length} conversations did not get through:\n  ${failed.slice(0, 10).join('\n  ')}`);
  }

  /**
   * Each conversation posts its questions in order, the next once the previous was accepted:
   * as fast as that (intervalMs 0; at most `concurrency` conversations at once), or paced every
   * `intervalMs` (all conversations at once, their starts spread over one interval).
   */
  async ask(conversations: Conversation[], options: { concurrency?: number; intervalMs?: number } = {}): Promise<void> {
    const interval = options.intervalMs ?? 0;
    const start = performance.now();
    const limit = interval > 0 ? conversations.length : (options.concurrency ?? 32);
    await pool(conversations, limit, async (c) => {
      const slot = conversations.indexOf(c);
      let due = start + (interval > 0 ? (slot * interval) / conversations.length : 0);
      for (const q of c.questions) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        q.postedAt = performance.now();
        q.acceptedAt = await this.deliver(c.chatId, this.target.telegram.textUpdate(c.chatId, q.text), q.marker);
        due = Math.max(due + interval, performance.now());
      }
    });
  }
}
