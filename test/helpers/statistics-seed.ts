import type { AdvisorRef, Case, CaseEvent } from '../../src/core/case.js';
import type { TurnFacts } from '../../src/core/turn-context.js';
import type { NewCaseEvent } from '../../src/handoff/case-repository.js';
import type { Statistics } from '../../src/statistics/statistics.js';
import { addDays, dayOf, type Day } from '../../src/statistics/utc-days.js';

/**
 * Three days of statistics, recorded through the recorder and the case observer as the worker and
 * the handoff would: two days ago, yesterday and today (UTC). SEEDED says what the page must show.
 */
export const SEEDED = {
  started: 16,
  active: 18,
  turns: 25,
  questions: 18,
  answered: 11,
  unanswered: 5,
  escalated: 2,
  escalations: 3,
  cases: 4,
  slaBreaches: 1,
  channels: { web: 9, telegram: 6, whatsapp: 3 },
  languages: { en: 9, ar: 6, fr: 3 },
  /** Tunisia (1) and Senegal (3) have fewer than 5: counted together as "other". */
  countries: { GH: 8, JO: 5, other: 4 },
  sources: { 'opportunity-card-points': 6, 'return-travel': 5 },
  escalationReasons: { sensitive: 2, safety: 1 },
  outcomes: { answered: 1, referred: 1, no_show: 1, cancelled: 1 },
  /** Waits of 4, 40 and 12 minutes (a second claim after a release is not counted). */
  waits: { claimed: 3, medianMinutes: 12.5, p90Minutes: 40.5, meanMinutes: 18.7 },
  /** The question about a dog, four times from three conversations; the bus ticket once. */
  dogGroup: { count: 4, conversations: 3 },
} as const;

export const DOG_QUESTIONS = ['Can I bring my dog to Germany? Call me at [phone]', 'Can I take my dog with me to Germany?', 'Can I bring my pet dog to Germany?'];
export const BUS_QUESTION = 'Where can I buy a bus ticket to Munich?';

const advisor: AdvisorRef = { id: 'amira', name: 'Amira B.', via: 'console' };

export function seedDays(now = new Date()): { today: Day; yesterday: Day; before: Day; at: (day: Day, time: string) => Date } {
  const today = dayOf(now);
  return { today, yesterday: addDays(today, -1), before: addDays(today, -2), at: (day, time) => new Date(`${day}T${time}:00Z`) };
}

/** Records the seed; `tag` keeps conversation keys apart between tests. */
export async function seedStatistics(statistics: Statistics, tag = 'seed', now = new Date()): Promise<void> {
  const { today, yesterday, before, at } = seedDays(now);
  const turn = (key: string, when: Date, facts: TurnFacts, escalation?: { reason: 'sensitive' | 'safety'; danger?: 'trafficking_exploitation' }) =>
    statistics.recorder.recordTurn(`${key}-${tag}`, { facts, ...(escalation ? { escalation } : {}) }, when);
  const answered = (sources: string[], topics: string[]) => ({ confidence: 0.8, outcome: 'answered' as const, topics, sources });
  const unanswered = (redacted: string) => ({ confidence: 0.1, outcome: 'unanswered' as const, redacted, topics: ['travel'], sources: ['return-travel'] });

  // Two days ago: six web conversations from Ghana in English, each a start and an answered question.
  for (let i = 0; i < 6; i++) {
    const facts = { channel: 'web', language: 'en', country: 'GH' } as const;
    await turn(`web:gh-${i}`, at(before, '08:00'), { ...facts, started: true });
    await turn(`web:gh-${i}`, at(before, '08:01'), { ...facts, started: false, question: answered(['opportunity-card-points'], ['opportunity-card', 'points']) });
  }
  // One Telegram conversation from Tunisia: the held question is asked in the consent turn, unanswerable.
  await turn('telegram:tn-1', at(before, '09:00'), { channel: 'telegram', language: 'ar', country: 'TN', started: true, question: unanswered(DOG_QUESTIONS[0]!) });

  // Yesterday: two of the Ghanaians come back with a sensitive question.
  for (let i = 0; i < 2; i++) {
    await turn(`web:gh-${i}`, at(yesterday, '10:00'), { channel: 'web', language: 'en', country: 'GH', started: false, question: { confidence: 0.7, outcome: 'escalated', topics: ['recognition'], sources: [] } }, { reason: 'sensitive' });
  }
  // Three WhatsApp conversations from Senegal in French, with questions the knowledge cannot answer.
  const sn = { channel: 'whatsapp', language: 'fr', country: 'SN', started: true } as const;
  await turn('whatsapp:sn-1', at(yesterday, '11:00'), { ...sn, question: unanswered(DOG_QUESTIONS[1]!) });
  await turn('whatsapp:sn-1', at(yesterday, '11:05'), { ...sn, started: false, question: unanswered(DOG_QUESTIONS[1]!) });
  await turn('whatsapp:sn-2', at(yesterday, '12:00'), { ...sn, question: unanswered(DOG_QUESTIONS[2]!) });
  await turn('whatsapp:sn-3', at(yesterday, '13:00'), { ...sn, question: unanswered(BUS_QUESTION) });
  // A safety escalation from a conversation that gave no country.
  await turn('web:safety-1', at(yesterday, '14:00'), { channel: 'web', language: 'en', started: true }, { reason: 'safety', danger: 'trafficking_exploitation' });

  // Today: five Telegram conversations from Jordan in Arabic, each started and answered in one turn.
  for (let i = 0; i < 5; i++) {
    await turn(`telegram:jo-${i}`, at(today, '00:10'), { channel: 'telegram', language: 'ar', country: 'JO', started: true, question: answered(['return-travel'], ['return']) });
  }

  // Cases: opened, claimed (waits of 4, 40 and 12 minutes), released and claimed again, past the SLA, resolved, cancelled.
  const events: [Case, NewCaseEvent][] = [];
  const newCase = (id: string, createdAt: Date): Case => ({
    id: `${id}-${tag}`,
    conversationKey: `web:${id}-${tag}`,
    channel: 'web',
    userId: `${id}-${tag}`,
    priority: 'normal',
    language: 'en',
    reason: 'sensitive',
    brief: '',
    status: 'open',
    pool: 'general',
    createdAt: createdAt.toISOString(),
  });
  const first = newCase('case-1', at(yesterday, '00:30'));
  events.push([first, { type: 'opened', at: first.createdAt }], [first, { type: 'claimed', at: at(yesterday, '00:34').toISOString(), advisor }], [first, { type: 'resolved', at: at(yesterday, '01:00').toISOString(), advisor, outcome: 'answered' }]);
  const second = newCase('case-2', at(yesterday, '01:00'));
  events.push(
    [second, { type: 'opened', at: second.createdAt }],
    [second, { type: 'sla_reminder', at: at(yesterday, '01:30').toISOString(), step: 1 }],
    [second, { type: 'claimed', at: at(yesterday, '01:40').toISOString(), advisor }],
    [second, { type: 'released', at: at(yesterday, '01:45').toISOString(), advisor }],
    [second, { type: 'claimed', at: at(yesterday, '01:50').toISOString(), advisor }],
    [second, { type: 'resolved', at: at(yesterday, '02:00').toISOString(), advisor, outcome: 'referred' }],
  );
  const third = newCase('case-3', at(today, '00:00'));
  events.push([third, { type: 'opened', at: third.createdAt }], [third, { type: 'claimed', at: at(today, '00:12').toISOString(), advisor }], [third, { type: 'resolved', at: at(today, '00:20').toISOString(), advisor, outcome: 'no_show' }]);
  const fourth = newCase('case-4', at(today, '00:30'));
  events.push([fourth, { type: 'opened', at: fourth.createdAt }], [fourth, { type: 'cancelled', at: at(today, '00:35').toISOString() }]);
  let n = 0;
  for (const [c, event] of events) await statistics.observeCase(c, { ...event, id: `${Date.now()}-${n++}` } as CaseEvent);
}
