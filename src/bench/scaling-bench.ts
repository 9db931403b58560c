import { checkDelivery, drain } from '../../test/faults/harness/checker.js';
import { FaultStack, WEBHOOK_SECRET } from '../../test/faults/harness/fault-stack.js';
import { LoadDriver } from '../../test/faults/harness/load-driver.js';
import { SETTINGS } from '../../test/faults/harness/settings.js';

export interface ScalingResult {
  workers: number;
  concurrency: number;
  answered: number;
  asked: number;
  /** Answers per second, first question posted to last answer received. */
  throughput: number;
  p50: number;
  p99: number;
  /** Lost, doubled or out of order: must be 0. */
  problems: number;
}

export interface ScalingOptions {
  indexDir: string;
  conversations?: number;
  questions?: number;
  llmDelayMs?: number;
  concurrency?: number;
}

/**
 * I/O-bound turns as in production: every answer comes from a local fake OpenAI server that takes
 * `llmDelayMs`. Gateway, sender and `workers` conversation workers run as separate processes on a
 * private Redis (AOF); all conversations ask at once, each its questions one after the other.
 */
export async function benchScaling(workers: number, options: ScalingOptions): Promise<ScalingResult> {
  const concurrency = options.concurrency ?? 8;
  const stack = await FaultStack.start({
    name: `scaling-${workers}`,
    telegramMode: 'webhook',
    workers,
    indexDir: options.indexDir,
    env: { ...SETTINGS.processEnv, WORKER_CONCURRENCY: String(concurrency), LOG_LEVEL: 'error' },
    llmDelayMs: { min: options.llmDelayMs ?? 500, max: options.llmDelayMs ?? 500 },
  });
  try {
    const driver = new LoadDriver({ telegram: stack.telegram, recorder: stack.recorder, telegramMode: 'webhook', gatewayUrl: stack.gatewayUrl, webhookSecret: WEBHOOK_SECRET });
    const conversations = LoadDriver.conversations(options.conversations ?? 96, options.questions ?? 4, 500_000);
    await driver.consent(conversations);
    await driver.ask(conversations, { concurrency: conversations.length });
    await drain(stack.recorder, conversations, 180_000, 500);
    const check = checkDelivery(conversations, stack.recorder);
    return {
      workers,
      concurrency,
      answered: check.answered,
      asked: check.asked,
      throughput: check.throughput,
      p50: check.latency.p50,
      p99: check.latency.p99,
      problems: check.lost.length + check.duplicates.length + check.outOfOrder.length + check.foreign.length,
    };
  } finally {
    await stack.stop(false);
  }
}
