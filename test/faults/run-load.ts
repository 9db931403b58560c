// A load run without vitest and without faults, through the fault harness (separate processes,
// private Redis): prints delivery counts, latency and throughput. Builds its own index.
//   node --import tsx test/faults/run-load.ts [--conversations 20] [--questions 5] [--workers 2]
//     [--mode webhook|polling] [--concurrency 32] [--interval 0] [--keep-logs] [ENV=value ...]
import { parseArgs } from 'node:util';
import { checkDelivery, drain, formatCheck } from './harness/checker.js';
import { FaultStack, WEBHOOK_SECRET } from './harness/fault-stack.js';
import { formatDelivery, LoadDriver } from './harness/load-driver.js';
import { SETTINGS } from './harness/settings.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    conversations: { type: 'string', default: '20' },
    questions: { type: 'string', default: '5' },
    workers: { type: 'string', default: '2' },
    mode: { type: 'string', default: 'webhook' },
    concurrency: { type: 'string', default: '32' },
    interval: { type: 'string', default: '0' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const env = Object.fromEntries(positionals.map((p) => p.split('=', 2) as [string, string]));
const mode = values.mode === 'polling' ? 'polling' : 'webhook';
const stack = await FaultStack.start({ name: 'run-load', telegramMode: mode, workers: Number(values.workers), env: { ...SETTINGS.processEnv, ...env } });
let ok = false;
try {
  const driver = new LoadDriver({ telegram: stack.telegram, recorder: stack.recorder, telegramMode: mode, gatewayUrl: stack.gatewayUrl, webhookSecret: WEBHOOK_SECRET });
  const conversations = LoadDriver.conversations(Number(values.conversations), Number(values.questions), 910_000);
  const consentStart = performance.now();
  await driver.consent(conversations);
  console.log(`consent: ${conversations.length} conversations in ${Math.round(performance.now() - consentStart)} ms`);
  await driver.ask(conversations, { concurrency: Number(values.concurrency), intervalMs: Number(values.interval) });
  await drain(stack.recorder, conversations);
  const check = checkDelivery(conversations, stack.recorder);
  console.log(formatCheck(`run-load (${mode}, ${values.workers} workers)`, check, [formatDelivery(driver.stats)]));
  if (process.env.TIMELINE) {
    const t0 = Math.min(...conversations[0]!.questions.map((q) => q.postedAt!));
    const rel = (t: number) => `+${Math.round(t - t0)}`.padStart(7);
    const lines = [
      ...conversations[0]!.questions.map((q) => ({ at: q.acceptedAt!, what: `accepted ${q.marker}` })),
      ...stack.llmAnswers.map((a) => ({ at: a.at, what: `LLM asked: ${a.content.slice(0, 70)}` })),
      ...stack.recorder.to(conversations[0]!.chatId).map((e) => ({ at: e.at, what: `sendMessage ${JSON.stringify(e.text.slice(0, 60))}` })),
    ].filter((l) => l.at >= t0).sort((a, b) => a.at - b.at);
    console.log(lines.map((l) => `${rel(l.at)} ${l.what}`).join('\n'));
  }
  ok = check.lost.length + check.duplicates.length + check.outOfOrder.length + check.foreign.length === 0;
} finally {
  await stack.stop(!ok || values['keep-logs']);
}
process.exit(ok ? 0 : 1);
