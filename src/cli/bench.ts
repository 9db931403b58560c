import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchRetriever, benchVectorSearch, formatSizeTable, syntheticTexts, type SizeResult } from '../bench/retrieval-bench.js';
import { fmt } from '../bench/stats.js';
import { loadConfig } from '../config/config.js';
import { LocalEmbeddings } from '../retrieval/local-embeddings.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { loadEvalQuestions } from '../retrieval/retrieval-eval.js';
import { runCli } from './run-cli.js';

const FILE = 'BENCHMARKS.md';

/** Replaces (or appends) the section between <!-- name:start --> and <!-- name:end --> in BENCHMARKS.md. */
async function writeSection(name: string, body: string): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let text = await readFile(FILE, 'utf8').catch(() => '# Benchmarks\n\nMeasured with `npm run bench` on the development machine; every figure is from one run of that command.\n');
  const section = `${start}\n${body.trim()}\n${end}`;
  const at = text.indexOf(start);
  text = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(FILE, text);
}

/** `npm run bench [-- --sizes 1000,10000,100000 --ef 128,256,512]`: retrieval latency and HNSW against exact search. */
runCli(async () => {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, ef: { type: 'string', default: '256,320,384' } } });
  const sizes = values.sizes.split(',').map(Number);
  const efValues = values.ef.split(',').map(Number);
  const config = loadConfig(process.env);
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
