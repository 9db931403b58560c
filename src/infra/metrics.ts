import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Lotse's Prometheus metrics; no label ever holds personal data. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lotse_' });
  return {
    registry,
    inbound: new Counter({ name: 'lotse_inbound_messages_total', help: 'Messages accepted into the queue', labelNames: ['channel'] as const, registers: [registry] }),
    turns: new Histogram({ name: 'lotse_turn_seconds', help: 'Time to handle one inbound message', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    escalations: new Counter({ name: 'lotse_escalations_total', help: 'Conversations handed to advisors', labelNames: ['reason'] as const, registers: [registry] }),
    failures: new Counter({ name: 'lotse_job_failures_total', help: 'Failed queue jobs', labelNames: ['queue'] as const, registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
