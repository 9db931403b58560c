import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { evaluateEscalation, formatEscalationReport, loadEscalationMessages } from '../escalation/escalation-eval.js';
import { PatternEscalationClassifier } from '../escalation/pattern-classifier.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { evaluateRetrieval, formatEvalReport, loadEvalQuestions } from '../retrieval/retrieval-eval.js';
import { runCli } from './run-cli.js';

/**
 * `npm run eval [-- --misses] [--escalation-file F]`: retrieval quality on the multilingual question set
 * (test/fixtures/retrieval-questions), and the escalation signals on a message set (default
 * test/fixtures/escalation-messages.json; point it at a held-out set to measure honestly).
 */
runCli(async () => {
  const { values } = parseArgs({ options: { misses: { type: 'boolean' }, 'escalation-file': { type: 'string', default: 'test/fixtures/escalation-messages.json' } } });
  const config = loadConfig(process.env);
  const { retriever } = await openKnowledge(config);
  const questions = await loadEvalQuestions('test/fixtures/retrieval-questions');
  const report = await evaluateRetrieval(retriever, questions);
  console.log(`Retrieval on ${questions.length} questions (a hit: a top passage from an expected document)`);
  console.log(formatEvalReport(report));
  if (values.misses) {
    for (const miss of report.misses) console.log(`miss [${miss.question.lang}] ${miss.question.q} -> expected ${miss.question.expected.join(', ')}; got ${miss.got.join(', ')}`);
  }
  const messages = await loadEscalationMessages(values['escalation-file']);
  const escalation = evaluateEscalation(new PatternEscalationClassifier(), messages);
  console.log(`\nEscalation signals on ${messages.length} messages (${values['escalation-file']})`);
  console.log(formatEscalationReport(escalation));
  if (values.misses) {
    for (const miss of escalation.misses) console.log(`miss [${miss.message.lang}] ${miss.message.text} -> expected ${miss.message.expected}; got ${miss.got}`);
  }
});
