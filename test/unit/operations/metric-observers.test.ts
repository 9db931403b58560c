import { describe, expect, it } from 'vitest';
import type { ChannelSender } from '../../../src/core/channel.js';
import type { Case, CaseEvent } from '../../../src/core/case.js';
import { RateLimitedError } from '../../../src/core/errors.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import type { TurnResult } from '../../../src/core/turn-context.js';
import { PoolDirectory } from '../../../src/handoff/pools.js';
import { createMetrics, type Metrics } from '../../../src/infra/metrics.js';
import { caseMetrics } from '../../../src/operations/case-metrics.js';
import { countingSender } from '../../../src/operations/counting-sender.js';
import { countedTurns } from '../../../src/operations/turn-metrics.js';
import { sample } from '../../helpers/prometheus-text.js';

const value = async (metrics: Metrics, name: string, labels: Record<string, string> = {}) => sample(await metrics.registry.metrics(), name, labels);

const reply = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({ id: 'telegram:770012345:1:0', channel: 'telegram', userId: '770012345', text: 'Hello', language: 'en', direction: 'ltr', ...overrides });

describe('the counting sender', () => {
  it('counts each platform message, each failure by kind, and the time to the first reply’s first part', async () => {
    const metrics = createMetrics();
    let fail: unknown = undefined;
    const inner: ChannelSender = {
      channel: 'telegram',
      limits: { perSecond: 30 },
      partCount: () => 2,
      send: async () => {
        if (fail) throw fail;
      },
      typing: async () => undefined,
    };
    const sender = countingSender(inner, metrics, () => Date.parse('2026-12-01T10:00:03Z'));
    expect(sender.limits).toEqual({ perSecond: 30 });
    expect(sender.partCount!(reply())).toBe(2);
    await sender.send(reply({ inboundReceivedAt: '2026-12-01T10:00:00Z' }), 0);
    await sender.send(reply({ inboundReceivedAt: '2026-12-01T10:00:00Z' }), 1);
    await sender.send(reply({ id: 'telegram:770012345:1:1' }), 0);
    fail = new RateLimitedError(2);
    await expect(sender.send(reply(), 0)).rejects.toBe(fail);
    expect(await value(metrics, 'lotse_outbound_messages_total', { channel: 'telegram' })).toBe(3);
    expect(await value(metrics, 'lotse_send_failures_total', { channel: 'telegram', error: 'rate_limited' })).toBe(1);
    expect(await value(metrics, 'lotse_reply_seconds_count', { channel: 'telegram' })).toBe(1);
    expect(await value(metrics, 'lotse_reply_seconds_sum', { channel: 'telegram' })).toBe(3);
  });
});

describe('case metrics', () => {
  const pools = PoolDirectory.load(undefined);
  const c = (overrides: Partial<Case> = {}): Case => ({ id: 'c1', conversationKey: 'web:s', channel: 'web', userId: 's', priority: 'normal', language: 'en', reason: 'user_request', brief: '', status: 'open', pool: 'default', createdAt: '2026-12-01T10:00:00Z', ...overrides });
  const at = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minutes * 60_000).toISOString();

  it('observes the wait at a claim, and counts a first reminder and an expiry as SLA breaches', async () => {
    const metrics = createMetrics();
    const observe = caseMetrics(metrics, pools);
    const advisor = { id: 'amira', name: 'Amira', via: 'console' as const };
    await observe(c({ status: 'claimed' }), { id: '1', type: 'claimed', at: at(30), advisor } satisfies CaseEvent);
    await observe(c(), { id: '2', type: 'sla_reminder', at: at(1440), step: 1 });
    await observe(c(), { id: '3', type: 'sla_reminder', at: at(2880), step: 2 });
    await observe(c(), { id: '4', type: 'cancelled', at: at(5) }); // the user cancelled early: no breach
    await observe(c(), { id: '5', type: 'cancelled', at: at(2880) });
    await observe(c({ pool: 'gone' }), { id: '6', type: 'sla_reminder', at: at(1440), step: 1 });
    expect(await value(metrics, 'lotse_case_wait_seconds_sum', { pool: 'default' })).toBe(1800);
    expect(await value(metrics, 'lotse_sla_breaches_total', { pool: 'default', kind: 'reminder' })).toBe(1);
    expect(await value(metrics, 'lotse_sla_breaches_total', { pool: 'default', kind: 'expired' })).toBe(1);
    expect(await value(metrics, 'lotse_sla_breaches_total', { pool: 'other', kind: 'reminder' })).toBe(1);
  });
});

describe('counted turns', () => {
  it('counts an escalation by reason and kind of danger, and the question’s confidence by outcome', async () => {
    const metrics = createMetrics();
    const result: TurnResult = {
      replies: [],
      duplicate: false,
      erased: false,
      escalation: { reason: 'safety', danger: 'trafficking_exploitation' },
      facts: { channel: 'telegram', language: 'en', started: false, question: { confidence: 0.42, outcome: 'escalated', topics: [], sources: [] } },
    };
    const handle = countedTurns(async () => result, metrics);
    await handle({ id: 'telegram:1:1', channel: 'telegram', userId: '1', kind: 'text', text: 'x', receivedAt: '2026-12-01T10:00:00Z' });
    expect(await value(metrics, 'lotse_escalations_total', { reason: 'safety', danger: 'trafficking_exploitation' })).toBe(1);
    expect(await value(metrics, 'lotse_retrieval_confidence_sum', { outcome: 'escalated' })).toBe(0.42);
    expect(await value(metrics, 'lotse_turn_seconds_count', { channel: 'telegram' })).toBe(1);
  });
});
