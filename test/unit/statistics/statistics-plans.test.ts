import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/core/case.js';
import { casePlan, turnPlan } from '../../../src/statistics/statistics-recorder.js';

describe('what a turn counts', () => {
  it('counts the turn, its question, topics and (answered) sources, and the conversation once a day', () => {
    expect(
      turnPlan({ channel: 'telegram', language: 'ar', country: 'tn', audience: 'returnee', started: true, question: { confidence: 0.9, outcome: 'answered', topics: ['return', 'return'], sources: ['return-travel'] } }),
    ).toEqual({
      turn: ['turns', 'started', 'question:answered', 'topic:return', 'source:return-travel'],
      conversation: ['active', 'channel:telegram', 'language:ar', 'country:TN', 'audience:returnee'],
    });
  });

  it('counts no source for an unanswered question, and escalations with their reason and danger', () => {
    const plan = turnPlan({ channel: 'web', language: 'en', started: false, question: { confidence: 0.1, outcome: 'unanswered', redacted: 'x', topics: ['visa'], sources: ['visa-application'] } }, { reason: 'safety', danger: 'violence' });
    expect(plan.turn).toEqual(['turns', 'question:unanswered', 'topic:visa', 'escalation:safety', 'danger:violence']);
    expect(plan.conversation).toEqual(['active', 'channel:web', 'language:en']);
  });

  it('keeps field names clean whatever a value holds', () => {
    const plan = turnPlan({ channel: 'web', language: 'en', country: 'Ghana!', started: false, question: { confidence: 1, outcome: 'answered', topics: ['a b:c', ''], sources: [] } });
    expect(plan.turn).toEqual(['turns', 'question:answered', 'topic:a_b_c', 'topic:unknown']);
    expect(plan.conversation).toContain('country:unknown');
  });
});

describe('what a case event counts', () => {
  const c = { id: 'c1', createdAt: '2026-03-01T10:00:00.000Z' } as Case;
  const advisor = { id: 'a', name: 'A', via: 'console' } as const;
  it('counts openings, first claims with their wait, outcomes, cancellations and the first SLA reminder', () => {
    expect(casePlan(c, { id: '1', type: 'opened', at: c.createdAt })).toEqual({ fields: [['cases', 1]] });
    expect(casePlan(c, { id: '2', type: 'claimed', at: '2026-03-01T10:04:00.000Z', advisor })).toEqual({ fields: [['wait:2', 1], ['wait_count', 1], ['wait_seconds', 240]], once: 'c1' });
    expect(casePlan(c, { id: '3', type: 'resolved', at: '2026-03-01T11:00:00.000Z', advisor, outcome: 'referred' })).toEqual({ fields: [['outcome:referred', 1]] });
    expect(casePlan(c, { id: '4', type: 'resolved', at: '2026-03-01T11:00:00.000Z', advisor })).toEqual({ fields: [['outcome:unspecified', 1]] });
    expect(casePlan(c, { id: '5', type: 'cancelled', at: '2026-03-01T11:00:00.000Z' })).toEqual({ fields: [['outcome:cancelled', 1]] });
    expect(casePlan(c, { id: '6', type: 'sla_reminder', at: '2026-03-01T11:00:00.000Z', step: 1 })).toEqual({ fields: [['sla_breaches', 1]] });
    expect(casePlan(c, { id: '7', type: 'sla_reminder', at: '2026-03-01T11:00:00.000Z', step: 2 })).toBeUndefined();
    expect(casePlan(c, { id: '8', type: 'user_message', at: '2026-03-01T11:00:00.000Z', text: 'hello' })).toBeUndefined();
  });
});
