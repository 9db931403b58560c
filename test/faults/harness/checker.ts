import type { Conversation } from './load-driver.js';
import { markersIn, questionNumber } from './questions.js';
import type { SentEvent, SentRecorder } from './sent-recorder.js';
import { SETTINGS } from './settings.js';
import { formatPercentiles, ms, percentiles, type Percentiles } from './stats.js';
import { sleep, waitFor } from './wait.js';

export interface Problem {
  chatId: number;
  conversation: number;
  /** The question concerned, when one is. */
  marker?: string;
  detail: string;
}

export interface DeliveryCheck {
  conversations: number;
  asked: number;
  /** Questions whose marker came back at least once. */
  answered: number;
  /** Asked, posted and accepted, never answered. */
  lost: Problem[];
  /** Answered more than once. */
  duplicates: Problem[];
  /** A conversation's answers not in the order asked. */
  outOfOrder: Problem[];
  /** A marker of another conversation in this chat, or an unknown one. */
  foreign: Problem[];
  /** Replies after the first question that carry no marker (notices, apologies, offline answers). */
  unmarked: { chatId: number; conversation: number; text: string }[];
  /** Questions the driver never got accepted (the gateway refused them until the deadline). */
  notAccepted: number;
  /** From accepted to the first sendMessage carrying the marker. */
  latency: Percentiles;
  /** Answered questions per second, from the first question posted to the last answer. */
  throughput: number;
  /** Longest time without any sendMessage (any chat), from `gapFrom` to the last answer (to the check when some are missing). */
  maxGapMs: number;
  maxGapAt?: number;
}

/** Counts, per conversation, the marker-carrying replies that came back: to wait for answers, or to act after some. */
export class AnswerTally {
  private readonly seen = new Set<string>();
  private readonly expected: Set<string>;
  private position = 0;

  constructor(
    private readonly recorder: SentRecorder,
    conversations: Conversation[],
  ) {
    this.expected = new Set(conversations.flatMap((c) => c.questions.map((q) => `${c.chatId} ${q.marker}`)));
  }

  /** Distinct expected questions answered so far. */
  answered(): number {
    const events = this.recorder.events;
    for (; this.position < events.length; this.position++) {
      const event = events[this.position]!;
      for (const m of markersIn(event.text)) {
        const key = `${event.chatId} ${m}`;
        if (this.expected.has(key)) this.seen.add(key);
      }
    }
    return this.seen.size;
  }

  get total(): number {
    return this.expected.size;
  }
}

/** Waits until every question is answered (or `timeoutMs`), then `quietMs` more so that late duplicates show. */
export async function drain(recorder: SentRecorder, conversations: Conversation[], timeoutMs: number = SETTINGS.drain.timeoutMs, quietMs: number = SETTINGS.drain.quietMs): Promise<boolean> {
  const tally = new AnswerTally(recorder, conversations);
  const complete = await waitFor(() => tally.answered() >= tally.total, timeoutMs, 50);
  await sleep(quietMs);
  return complete;
}

/**
 * Checks what each conversation received: every accepted question answered exactly once
 * (counted by marker), answers in the order asked, no marker of another conversation; and
 * measures latency, throughput and the longest silence.
 */
export function checkDelivery(conversations: Conversation[], recorder: SentRecorder, options: { gapFrom?: number } = {}): DeliveryCheck {
  const result: DeliveryCheck = { conversations: conversations.length, asked: 0, answered: 0, lost: [], duplicates: [], outOfOrder: [], foreign: [], unmarked: [], notAccepted: 0, latency: percentiles([]), throughput: Number.NaN, maxGapMs: 0 };
  const latencies: number[] = [];
  let firstPosted = Number.POSITIVE_INFINITY;
  let lastAnswer = Number.NEGATIVE_INFINITY;
  for (const c of conversations) {
    const byMarker = new Map(c.questions.map((q) => [q.marker, q]));
    const start = Math.min(...c.questions.map((q) => q.postedAt ?? Number.POSITIVE_INFINITY));
    firstPosted = Math.min(firstPosted, start);
    const received = recorder.to(c.chatId).filter((e) => e.at >= start);
    const firstAt = new Map<string, SentEvent>();
    const counts = new Map<string, number>();
    const order: number[] = [];
    for (const event of received) {
      const found = markersIn(event.text);
      if (found.length === 0) result.unmarked.push({ chatId: c.chatId, conversation: c.n, text: event.text.slice(0, 160) });
      for (const m of found) {
        if (!byMarker.has(m)) {
          result.foreign.push({ chatId: c.chatId, conversation: c.n, detail: `received "${m}", not one of its questions: ${JSON.stringify(event.text.slice(0, 120))}` });
          continue;
        }
        counts.set(m, (counts.get(m) ?? 0) + 1);
        if (!firstAt.has(m)) {
          firstAt.set(m, event);
          order.push(questionNumber(m));
        }
      }
    }
    for (const q of c.questions) {
      result.asked += 1;
      if (q.acceptedAt === undefined) result.notAccepted += 1;
      const count = counts.get(q.marker) ?? 0;
      const first = firstAt.get(q.marker);
      if (first) {
        result.answered += 1;
        lastAnswer = Math.max(lastAnswer, first.at);
        if (q.acceptedAt !== undefined) latencies.push(first.at - q.acceptedAt);
      } else if (q.acceptedAt !== undefined) {
        result.lost.push({ chatId: c.chatId, conversation: c.n, marker: q.marker, detail: `${q.marker} never answered (accepted at +${ms(q.acceptedAt - firstPosted)})` });
      }
      if (count > 1) result.duplicates.push({ chatId: c.chatId, conversation: c.n, marker: q.marker, detail: `${q.marker} answered ${count} times` });
    }
    const inversion = order.findIndex((n, i) => i > 0 && n < order[i - 1]!);
    if (inversion > 0) {
      result.outOfOrder.push({ chatId: c.chatId, conversation: c.n, detail: `q${order[inversion]} answered after q${order[inversion - 1]}; answers came as q${order.join(', q')}` });
    }
  }
  result.latency = percentiles(latencies);
  result.throughput = result.answered / ((lastAnswer - firstPosted) / 1000);
  // With answers missing, the silence lasts until now (the check, after the drain timeout).
  const from = options.gapFrom ?? firstPosted;
  const end = result.lost.length > 0 ? performance.now() : lastAnswer;
  const times = [from, ...recorder.events.map((e) => e.at).filter((t) => t > from && t < end), end].sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > result.maxGapMs) {
      result.maxGapMs = gap;
      result.maxGapAt = times[i - 1]! - firstPosted;
    }
  }
  return result;
}

const list = <T>(title: string, items: T[], show: (item: T) => string, max = 8) =>
  items.length === 0 ? [] : [`  ${title}: ${items.length}`, ...items.slice(0, max).map((item) => `    - ${show(item)}`), ...(items.length > max ? [`    … and ${items.length - max} more`] : [])];

/** A readable report: counts, then the first examples of each problem (which chat, which marker, what came). */
export function formatCheck(title: string, check: DeliveryCheck, extra: string[] = []): string {
  const problem = (p: Problem) => `chat ${p.chatId} (c${p.conversation}): ${p.detail}`;
  return [
    `${title}: ${check.answered}/${check.asked} questions answered in ${check.conversations} conversations; lost ${check.lost.length}, duplicates ${check.duplicates.length}, out of order ${check.outOfOrder.length}, foreign ${check.foreign.length}, unmarked replies ${check.unmarked.length}, not accepted ${check.notAccepted}`,
    `  latency (accepted → sendMessage): ${formatPercentiles(check.latency)}; throughput ${check.throughput.toFixed(1)} answers/s; longest silence ${ms(check.maxGapMs)}${check.maxGapAt !== undefined ? ` (from +${ms(check.maxGapAt)})` : ''}`,
    ...extra.map((line) => `  ${line}`),
    ...list('lost', check.lost, problem),
    ...list('duplicates', check.duplicates, problem),
    ...list('out of order', check.outOfOrder, problem),
    ...list('foreign markers', check.foreign, problem),
    ...list('unmarked replies', check.unmarked, (u) => `chat ${u.chatId} (c${u.conversation}): ${JSON.stringify(u.text)}`, 5),
  ].join('\n');
}
