import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Lotse's Prometheus metrics, counted in the process where each thing happens (messages in at the
 * gateway, turns in the worker, sends in the sender, case events wherever the case changed).
 * Labels take values from small fixed sets only (src/operations/metric-labels.ts): never a user,
 * chat, phone number or text. The gauges read from Redis at scrape time are added by the gateway
 * (src/operations/redis-gauges.ts).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lotse_' });
  const registers = [registry];
  return {
    registry,
    inbound: new Counter({ name: 'lotse_inbound_messages_total', help: 'Messages accepted into the queue, per channel', labelNames: ['channel'] as const, registers }),
    outbound: new Counter({ name: 'lotse_outbound_messages_total', help: 'Messages sent to the platform, per channel (a long reply sent in parts counts each part)', labelNames: ['channel'] as const, registers }),
    sendFailures: new Counter({
      name: 'lotse_send_failures_total',
      help: 'Failed platform calls when sending, per channel and kind of error (rate_limited, blocked, bad_request, token, timeout, server, network, not_ready, other); most are retried',
      labelNames: ['channel', 'error'] as const,
      registers,
    }),
    turns: new Histogram({ name: 'lotse_turn_seconds', help: 'Time to handle one inbound message (the conversation worker), per channel', labelNames: ['channel'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30], registers }),
    replyLatency: new Histogram({
      name: 'lotse_reply_seconds',
      help: 'From a message’s arrival (the platform’s timestamp) to the first part of its first reply accepted by the platform, per channel',
      labelNames: ['channel'] as const,
      buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300],
      registers,
    }),
    confidence: new Histogram({
      name: 'lotse_retrieval_confidence',
      help: 'Retrieval’s confidence in [0, 1] for questions that went to retrieval, by what became of them (answered, unanswered, escalated)',
      labelNames: ['outcome'] as const,
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers,
    }),
    escalations: new Counter({ name: 'lotse_escalations_total', help: 'Conversations handed to advisors, by reason and (safety) kind of danger; "none" for other reasons', labelNames: ['reason', 'danger'] as const, registers }),
    caseWait: new Histogram({
      name: 'lotse_case_wait_seconds',
      help: 'From a case’s opening to its claim by an advisor, per pool (observed at each claim)',
      labelNames: ['pool'] as const,
      buckets: [60, 300, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400, 172_800],
      registers,
    }),
    slaBreaches: new Counter({
      name: 'lotse_sla_breaches_total',
      help: 'Cases past their pool’s SLA, per pool: "reminder" when an unclaimed case got its first reminder, "expired" when one was given up past the pool’s longest wait',
      labelNames: ['pool', 'kind'] as const,
      registers,
    }),
    failures: new Counter({ name: 'lotse_job_failures_total', help: 'Failed queue jobs', labelNames: ['queue'] as const, registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
