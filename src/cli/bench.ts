import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchPipeline, type PipelineResult } from '../bench/pipeline-bench.js';
import { benchScaling, type ScalingResult } from '../bench/scaling-bench.js';
import { benchHandoff } from '../bench/handoff-bench.js';
import { broadcastPart } from '../bench/broadcast-bench.js';
import { benchScreen } from '../bench/screen-bench.js';
import { benchRedisMemory, redisMemorySection } from '../bench/redis-memory-bench.js';
import { benchStartup, startupSection } from '../bench/startup-bench.js';
import { benchMemory, processMemorySection } from '../bench/process-memory-bench.js';
import { benchRetriever, benchVectorSearch, formatSizeTable, syntheticTexts, type SizeResult } from '../bench/retrieval-bench.js';
import { resolveRedis } from '../infra/local-redis.js';
import { fmt } from '../bench/stats.js';
import { loadConfig } from '../config/config.js';
import { LocalEmbeddings } from '../retrieval/local-embeddings.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { loadEvalQuestions } from '../retrieval/retrieval-eval.js';
import { runCli } from './run-cli.js';
import { BENCHMARKS_FILE, writeSection } from './benchmarks-file.js';

const FILE = BENCHMARKS_FILE;

/** The pipeline part: the whole pipeline against the bare BullMQ echo, alternating, two rounds each. */
async function pipelinePart(config: ReturnType<typeof loadConfig>): Promise<void> {
  const redis = await resolveRedis(config.env.REDIS_URL, config.dataDir);
  const runs: PipelineResult[] = [];
  try {
    // A warm-up of each, not counted: the first run in a process pays for compilation and caches.
    for (const name of ['echo', 'lotse'] as const) await benchPipeline(name, redis.url, config.dataDir, { burst: 300, rateSeconds: 2 });
    for (let round = 0; round < 2; round++) {
      for (const name of ['echo', 'lotse'] as const) {
        const result = await benchPipeline(name, redis.url, config.dataDir);
        console.log(`${name}: ${result.throughput.toFixed(0)} msg/s; at ${result.rate.toFixed(0)} msg/s p50 ${fmt(result.p50)}, p99 ${fmt(result.p99)}`);
        runs.push(result);
      }
    }
  } finally {
    await redis.stop();
  }
  const median = (name: string, key: 'throughput' | 'p50' | 'p99' | 'rate') => {
    const values = runs.filter((r) => r.name === name).map((r) => r[key]).sort((a, b) => a - b);
    return values.length % 2 ? values[(values.length - 1) / 2]! : (values[values.length / 2 - 1]! + values[values.length / 2]!) / 2;
  };
  const row = (name: string, label: string) => `| ${label} | ${median(name, 'throughput').toFixed(0)} | ${median(name, 'rate').toFixed(0)} | ${fmt(median(name, 'p50'))} | ${fmt(median(name, 'p99'))} |`;
  const ratio = median('lotse', 'throughput') / median('echo', 'throughput');
  await writeSection(
    'pipeline',
    `## Pipeline

Command: \`npm run bench -- --part pipeline\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; Redis on the same machine.
One process runs the gateway, the conversation worker and the sender (\`npm start\`'s layout). Each message goes
in through the Telegram webhook (HTTP POST, secret checked) and out as \`sendMessage\` to a local fake Bot API server;
users have agreed to the privacy notice, so every message is a question answered offline (retrieval, extractive answer).
The baseline is a bare echo over exactly the same gateway, queues (inbound and outbound lanes) and sender, with a handler
that does no work. Telegram's overall send limit (30 messages/s) is lifted for both runs (\`TELEGRAM_RATE_LIMIT=100000\`): this measures the pipeline, not the platform's limit. Throughput: a burst of 1,000 messages, 32 webhook calls in flight. Latency: webhook call to \`sendMessage\`
received, at half the measured maximum rate for 10 s. After one uncounted warm-up of each, two alternating rounds each; medians.

| run | messages/s (max) | rate for latency (msg/s) | p50 | p99 |
|---|---:|---:|---:|---:|
${row('lotse', 'Lotse, whole pipeline')}
${row('echo', 'BullMQ echo, same hops')}

Lotse reaches ${(100 * ratio).toFixed(0)}% of the echo's throughput (target at least 50%); p99 at half its maximum rate is ${fmt(median('lotse', 'p99'))} (target under 100 ms).`,
  );
}

/** Throughput with 1, 2 and 4 worker processes on I/O-bound turns (a fake LLM taking 500 ms): two alternating rounds, medians. */
async function scalingPart(config: ReturnType<typeof loadConfig>): Promise<void> {
  const { built } = await openKnowledge(config);
  if (built) console.log('built the knowledge index');
  const counts = [1, 2, 4];
  const runs: ScalingResult[] = [];
  for (let round = 0; round < 2; round++) {
    for (const workers of counts) {
      const result = await benchScaling(workers, { indexDir: config.indexDir });
      console.log(`${workers} worker(s): ${result.throughput.toFixed(1)} answers/s, p50 ${fmt(result.p50)}, p99 ${fmt(result.p99)}; ${result.answered}/${result.asked} answered, ${result.problems} lost/doubled/out of order`);
      if (result.problems > 0 || result.answered < result.asked) throw new Error(`${workers} worker(s): ${result.asked - result.answered} unanswered, ${result.problems} lost/doubled/out of order`);
      runs.push(result);
    }
  }
  const median = (workers: number, key: 'throughput' | 'p50' | 'p99') => {
    const values = runs.filter((r) => r.workers === workers).map((r) => r[key]).sort((a, b) => a - b);
    return (values[0]! + values[values.length - 1]!) / 2;
  };
  const base = median(1, 'throughput');
  const rows = counts.map((w) => `| ${w} | ${8 * w} | ${median(w, 'throughput').toFixed(1)} | ${(median(w, 'throughput') / base).toFixed(2)}× | ${(16 * w).toFixed(0)} | ${fmt(median(w, 'p50'))} | ${fmt(median(w, 'p99'))} |`);
  await writeSection(
    'scaling',
    `## Scaling with workers

Command: \`npm run bench -- --part scaling\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Gateway, sender and 1, 2 or 4 conversation workers (\`WORKER_CONCURRENCY=8\` each) as separate processes on a private Redis with AOF;
every answer comes from a local fake OpenAI server that takes 500 ms (I/O-bound turns, as with a real LLM). 96 Telegram users
(webhook in, \`sendMessage\` out to a local fake Bot API) consent, then all ask 4 questions at once, each user one after the other.
Throughput: answers per second from the first question to the last answer. Two alternating rounds; medians. In every run each
question was answered exactly once and each user's answers came in order (the run fails otherwise). Telegram's send limits are
lifted (the fake has none); the ceiling is workers × 8 turns at once ÷ 0.5 s. Latency (webhook accepted to \`sendMessage\`) includes the
wait in the queue, since all questions arrive at once. Before the lanes, the inbound queue's 16 partitions of one job each capped the
whole deployment at 16 turns at once (32 answers/s at 500 ms), whatever the number of workers.

| workers | turns at once | answers/s | vs 1 worker | ceiling | p50 | p99 |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}`,
  );
}

/** Handoff latency: escalation to the Slack post, advisor reply to the user's send; the bot's own answer as the baseline, in the same run. */
async function handoffPart(config: ReturnType<typeof loadConfig>): Promise<void> {
  await openKnowledge(config);
  const redis = await resolveRedis(config.env.REDIS_URL, config.dataDir);
  let result;
  try {
    result = await benchHandoff(redis.url, config.dataDir);
  } finally {
    await redis.stop();
  }
  const row = (label: string, p: { p50: number; p99: number }) => `| ${label} | ${fmt(p.p50)} | ${fmt(p.p99)} |`;
  console.log(`handoff: escalation p50 ${fmt(result.escalation.p50)} p99 ${fmt(result.escalation.p99)}; reply p50 ${fmt(result.reply.p50)} p99 ${fmt(result.reply.p99)}; bot answer p50 ${fmt(result.answer.p50)} p99 ${fmt(result.answer.p99)}`);
  await writeSection(
    'handoff',
    `## Handoff latency

Command: \`npm run bench -- --part handoff\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; Redis on the same machine.
One process (gateway, worker, sender), Telegram by webhook to a local fake Bot API, the Slack app against a local fake Web API.
${result.cases} consented users, 10 a second. Escalation: the user's "I want to talk to a human advisor" webhook accepted until the case's
\`chat.postMessage\` reaches Slack (pipeline, case, routing, notice lane, Block Kit). Advisor reply: a signed thread reply accepted at
\`/slack/events\` until \`sendMessage\` reaches Telegram (signature, case lookup, reply, outbound lane). Baseline in the same run: a
question answered by the bot offline (webhook to \`sendMessage\`).

| path | p50 | p99 |
|---|---:|---:|
${row('escalation → case posted in Slack', result.escalation)}
${row('advisor reply in Slack → user on Telegram', result.reply)}
${row('baseline: question → bot answer', result.answer)}

Target: p99 under 200 ms for both handoff paths.`,
  );
}

/** Screening one message offline against detecting its language, in one run. */
async function screenPart(): Promise<void> {
  const result = benchScreen();
  console.log(`screen: p50 ${fmt(result.screen.p50)} p99 ${fmt(result.screen.p99)}; language detection p50 ${fmt(result.detect.p50)} p99 ${fmt(result.detect.p99)}`);
  await writeSection(
    'screen',
    `## Safety screen

Command: \`npm run bench -- --part screen\`. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Each of the ${result.messages} messages of the training corpus screened offline: character n-gram features, the calibrated
classifier, the kind of danger, and the rules of the message's languages. Baseline in the same run, alternating per message:
detecting the message's language (eld), which every turn does anyway. After a warm-up, ${result.rounds} rounds; medians of the rounds' percentiles.

| per message | p50 | p99 |
|---|---:|---:|
| safety screen (offline) | ${fmt(result.screen.p50)} | ${fmt(result.screen.p99)} |
| baseline: language detection | ${fmt(result.detect.p50)} | ${fmt(result.detect.p99)} |

The screen takes ${(result.screen.p50 / result.detect.p50).toFixed(1)}× the time of language detection at the median. Target: p99 under 5 ms.`,
  );
}

/** `npm run bench [-- --part retrieval|pipeline|scaling|handoff|screen|startup|redis-memory|memory|broadcast|all --conversations 10000 --sizes 1000,10000,100000 --ef 256,320,384]`: writes BENCHMARKS.md. */
runCli(async () => {
  const { values } = parseArgs({ options: { part: { type: 'string', default: 'all' }, sizes: { type: 'string', default: '1000,10000,100000' }, ef: { type: 'string', default: '256,320,384' }, conversations: { type: 'string', default: '10000' } } });
  const config = loadConfig(process.env);
  if (values.part === 'pipeline' || values.part === 'all') await pipelinePart(config);
  if (values.part === 'scaling' || values.part === 'all') await scalingPart(config);
  if (values.part === 'handoff' || values.part === 'all') await handoffPart(config);
  if (values.part === 'screen' || values.part === 'all') await screenPart();
  if (values.part === 'redis-memory' || values.part === 'all') await writeSection('redis-memory', redisMemorySection(await benchRedisMemory(config.dataDir, Number(values.conversations))));
  if (values.part === 'startup' || values.part === 'all') await writeSection('startup', startupSection(await benchStartup()));
  if (values.part === 'memory' || values.part === 'all') await writeSection('memory', processMemorySection(await benchMemory(config, Number(values.conversations))));
  if (values.part === 'broadcast' || values.part === 'all') await writeSection('broadcast', await broadcastPart(config));
  if (values.part === 'pipeline' || values.part === 'scaling' || values.part === 'handoff' || values.part === 'screen' || values.part === 'redis-memory' || values.part === 'startup' || values.part === 'memory' || values.part === 'broadcast') return console.log(`written to ${FILE}`);
  const sizes = values.sizes.split(',').map(Number);
  const efValues = values.ef.split(',').map(Number);
  const { index, retriever } = await openKnowledge(config);
  const questions = await loadEvalQuestions('test/fixtures/retrieval-questions');
  const embedder = new LocalEmbeddings();
  // Queries: the evaluation questions plus synthetic ones, 200 in all.
  const queries = [...questions.map((q) => q.q), ...syntheticTexts(index.chunks, 200 - questions.length, 99)];

  const results: SizeResult[] = [];
  for (const size of sizes) {
    for (const result of await benchVectorSearch(syntheticTexts(index.chunks, size), queries, embedder, efValues)) {
      console.log(`${size} chunks, ef ${result.efSearch}: HNSW p50 ${fmt(result.hnswP50)} p99 ${fmt(result.hnswP99)}; exact p50 ${fmt(result.exactP50)}; recall@10 ${result.recallAt10.toFixed(3)}`);
      results.push(result);
    }
  }
  const whole = await benchRetriever(retriever, questions);
  console.log(`whole retrieval on the real index (${index.chunks.length} chunks): p50 ${fmt(whole.p50)} p99 ${fmt(whole.p99)}`);

  const body = `## Retrieval

Command: \`npm run bench\` (sizes ${sizes.join(', ')}; efSearch ${efValues.join(', ')}). Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Vectors: the local embedder (${embedder.id}), 1024 dimensions. Synthetic chunks are sentences of the knowledge base
recombined; queries are the ${questions.length} evaluation questions plus ${200 - questions.length} synthetic ones (200 in all), k = 10.\nHNSW latencies: three rounds over the 200 queries; each percentile is the median of the three rounds' (the machine is shared).
HNSW (hnswlib-node through LangChain's HNSWLib): M 16, efConstruction 200; each efSearch is measured on the same built index. The baseline is exact
brute-force cosine search over the same Float32 vectors in the same run; recall@10 is the share of the exact top 10 that HNSW returns.

${formatSizeTable(results)}

Whole retrieval on the real knowledge index (${index.chunks.length} chunks: embed the question, HNSW, BM25, fusion,
confidence), ${whole.n} queries: p50 ${fmt(whole.p50)}, p99 ${fmt(whole.p99)}.

Targets: p99 under 5 ms at 100k chunks; recall@10 at least 0.98 against exact search.`;
  await writeSection('retrieval', body);
  console.log(`written to ${FILE}`);
});
