import { loadConfig } from '../config/config.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { evaluateRetrieval, formatEvalReport, loadEvalQuestions } from '../retrieval/retrieval-eval.js';
import { runCli } from './run-cli.js';

/** `npm run eval`: retrieval quality on the multilingual question set (test/fixtures/retrieval-questions). */
runCli(async () => {
  const config = loadConfig(process.env);
  const { retriever } = await openKnowledge(config);
  const questions = await loadEvalQuestions('test/fixtures/retrieval-questions');
  const report = await evaluateRetrieval(retriever, questions);
  console.log(`Retrieval on ${questions.length} questions (a hit: a top passage from an expected document)`);
  console.log(formatEvalReport(report));
  if (process.argv.includes('--misses')) {
    for (const miss of report.misses) console.log(`miss [${miss.question.lang}] ${miss.question.q} -> expected ${miss.question.expected.join(', ')}; got ${miss.got.join(', ')}`);
  }
});
