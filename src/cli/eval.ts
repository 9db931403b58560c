import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { newConversation } from '../core/conversation.js';
import { isLanguage, type Language } from '../core/knowledge.js';
import type { SemanticScreen, SemanticVerdict } from '../core/ports.js';
import { screenMessage } from '../core/steps/safety-screen.js';
import { createEngine, memoryStores } from '../conversation/create-engine.js';
import { evaluateEscalation, formatEscalationReport, loadEscalationMessages, type EscalationMessage, type EscalationSubject } from '../escalation/escalation-eval.js';
import { WRITING_OF } from '../escalation/language-rules.js';
import { sha256, VerdictReplayServer } from '../escalation/verdict-replay-server.js';
import { evaluateAnswers, formatAnswerReport, loadAnswerQuestions } from '../answering/answer-eval.js';
import { evaluateSmallTalk, formatSmallTalkReport, loadSmallTalk } from '../answering/scope-eval.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { evaluateRetrieval, formatEvalReport, loadEvalQuestions } from '../retrieval/retrieval-eval.js';
import { runCli } from './run-cli.js';
import { BENCHMARKS_FILE, machineLine, writeSection } from './benchmarks-file.js';

const DEFAULT_SETS = [
  // Round 3: the unseen sets; rounds 1 and 2 were measured and then joined the training corpus.
  'test/fixtures/escalation-heldout/round-3-writer-v.json',
  'test/fixtures/escalation-heldout/round-3-writer-w.json',
];

/** Answer-level sets, frozen before the offline answers are reworked (see their README). */
/** Greetings, chit-chat and out-of-scope questions, frozen before the scope screen was built; none should open a case. */
const DEFAULT_SMALLTALK_SETS = ['test/fixtures/smalltalk-heldout/round-1-writer-z.json'];
const DEFAULT_ANSWER_SETS = ['test/fixtures/answers-heldout/round-1-writer-x.json', 'test/fixtures/answers-heldout/round-1-writer-y.json', 'test/fixtures/answers-heldout/round-2-writer-p.json', 'test/fixtures/answers-heldout/round-3-writer-q.json'];

/** The language a conversation with this writer would be in (Arabizi: Arabic, Pidgin: English). */
const conversationLanguage = (lang: string): Language => (isLanguage(lang) ? lang : (WRITING_OF[lang] ?? 'en'));

/** Each message asked once of the LLM, however often the evaluation reads its verdict. */
function remembering(screen: SemanticScreen): SemanticScreen {
  const seen = new Map<string, Promise<SemanticVerdict>>();
  return {
    classify(text) {
      let verdict = seen.get(text);
      if (!verdict) seen.set(text, (verdict = screen.classify(text)));
      return verdict;
    },
  };
}

/**
 * `npm run eval [-- --misses] [--retrieval-only | --escalation-only | --answers-only] [--escalation-file F ...] [--answers-file F ...] [--smalltalk-file F ...] [--llm-replay V]`:
 * retrieval quality on the multilingual question set (test/fixtures/retrieval-questions), answers
 * checked for the facts they must contain (test/fixtures/answers-heldout), greetings and out-of-scope questions (none should open a case:
 * test/fixtures/smalltalk-heldout), and the safety screen on
 * message sets (default: the held-out sets). With an LLM configured (OPENAI_BASE_URL, LLM_MODEL)
 * the semantic screen is measured combined with the offline one, as the pipeline runs them; with
 * --llm-replay, recorded verdicts of a model stand in for it (a local server replays them).
 */
runCli(async () => {
  const { values } = parseArgs({
    options: {
      misses: { type: 'boolean' },
      'escalation-only': { type: 'boolean' },
      'escalation-file': { type: 'string', multiple: true },
      'llm-replay': { type: 'string' },
      'answers-only': { type: 'boolean' },
      'retrieval-only': { type: 'boolean' },
      'answers-file': { type: 'string', multiple: true },
      'smalltalk-file': { type: 'string', multiple: true },
      'no-write': { type: 'boolean' },
    },
  });
  // The whole evaluation on the default sets is written to BENCHMARKS.md as well as printed.
  const complete = !values['no-write'] && !values['escalation-only'] && !values['answers-only'] && !values['retrieval-only'] && !values.misses && !values['escalation-file'] && !values['answers-file'] && !values['smalltalk-file'];
  const printed: string[] = [];
  const started = Date.now();
  const log = console.log;
  if (complete) console.log = (...parts: unknown[]) => {
    printed.push(parts.map(String).join(' '));
    log(...parts);
  };
  // Recorded verdicts stand in for a live model: the screen's requests go to a local server that replays them.
  const replay = values['llm-replay'] ? await (await VerdictReplayServer.load(values['llm-replay'])).start() : undefined;
  const env = replay ? { ...process.env, OPENAI_BASE_URL: replay.baseUrl, LLM_MODEL: 'replay', LLM_TIMEOUT_MS: '20000' } : process.env;
  const config = loadConfig(env);
  const { retriever } = await openKnowledge(config);
  if (!values['escalation-only'] && !values['answers-only']) {
    const questions = await loadEvalQuestions('test/fixtures/retrieval-questions');
    const report = await evaluateRetrieval(retriever, questions);
    console.log(`Retrieval on ${questions.length} questions (a hit: a top passage from an expected document)`);
    console.log(formatEvalReport(report));
    if (values.misses) {
      for (const miss of report.misses) console.log(`miss [${miss.question.lang}] ${miss.question.q} -> expected ${miss.question.expected.join(', ')}; got ${miss.got.join(', ')}`);
    }
    if (values['retrieval-only']) return;
  }

  const errors: string[] = [];
  const stores = memoryStores();
  const { handle, deps } = createEngine({ config, retriever, stores, onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`) });
  if (deps.semanticScreen) deps.semanticScreen = remembering(deps.semanticScreen);
  let turns = 0;
  /** A message as the first question of a new, consented conversation in the writer's language. */
  const firstQuestion = async (text: string, lang: string) => {
    turns += 1;
    const now = new Date().toISOString();
    const conversation = newConversation(`eval:${turns}`, 'eval', String(turns), conversationLanguage(lang), now);
    conversation.consent = { ...conversation.consent, status: 'given', at: now };
    await stores.conversations.save(conversation);
    return handle({ id: `eval:${turns}:1`, channel: 'eval', userId: String(turns), kind: 'text', text, receivedAt: now });
  };

  if (!values['escalation-only']) {
    const files = values['answers-file'] ?? DEFAULT_ANSWER_SETS;
    for (const file of files) {
      const questions = await loadAnswerQuestions(file);
      const report = await evaluateAnswers(async (question) => {
        const result = await firstQuestion(question.q, question.lang);
        const answered = result.answer !== undefined && !result.answer.escalate;
        // Not answered: handed to a human, or no answer at all (a rephrase offer, a question for the country).
        return {
          text: answered ? result.replies.map((reply) => reply.text).join('\n\n') : result.replies.map((reply) => reply.text).join(' / '),
          escalated: result.escalation?.reason ?? (answered ? null : 'low_confidence'),
          more: result.answer?.more?.text,
        };
      }, questions);
      console.log(`\nAnswers to ${questions.length} questions (${file}): answered (not handed over), right (every required fact, no wrong one), right with More (the facts within one tap), length before the sources`);
      console.log(formatAnswerReport(report));
      if (values.misses) {
        for (const { question, outcome } of report.misses) {
          console.log(`miss [${question.lang}] ${question.q}\n  facts ${JSON.stringify(question.facts)}${question.must_not.length ? ` must not ${JSON.stringify(question.must_not)}` : ''}\n  got${outcome.escalated ? ` (${outcome.escalated})` : ''}: ${outcome.text.replace(/\s+/g, ' ').slice(0, 400)}`);
        }
      }
    }
    for (const file of values['smalltalk-file'] ?? DEFAULT_SMALLTALK_SETS) {
      const messages = loadSmallTalk(file);
      const report = await evaluateSmallTalk(async (message) => {
        const result = await firstQuestion(message.text, message.lang);
        if (result.openedCase || result.escalation) return 'case';
        return result.answer && !result.answer.escalate ? 'answer' : 'reply';
      }, messages);
      console.log(`\nSmall talk and out of scope (${file}): a case for the advisors, a knowledge answer, or Lotse's own reply`);
      console.log(formatSmallTalkReport(report));
    }
    if (values['answers-only']) return;
  }

  if (replay) {
    const prompt = sha256(readFileSync('prompts/safety-screen.md', 'utf8'));
    console.log(`\nLLM screen: recorded verdicts of ${replay.model}${prompt === replay.promptSha256 ? '' : ' (recorded with another version of prompts/safety-screen.md)'}`);
  }
  const subject: EscalationSubject = {
    async screen(message: EscalationMessage) {
      const verdict = await screenMessage(deps, message.text, conversationLanguage(message.lang));
      return { reason: verdict.reason ?? null, danger: verdict.danger };
    },
    // The whole turn (not with replayed verdicts: the replay has no answers, only the screen's verdicts).
    turn: replay ? undefined : async (message: EscalationMessage) => (await firstQuestion(message.text, message.lang)).escalation?.reason ?? null,
  };
  const files = values['escalation-file'] ?? DEFAULT_SETS;
  const all: EscalationMessage[] = [];
  console.log(`\nSafety screen: ${deps.semanticScreen ? 'offline screen + LLM screen (combined as in the pipeline)' : 'offline screen (no LLM configured)'}`);
  for (const file of files) {
    const messages = await loadEscalationMessages(file);
    all.push(...messages);
    const report = await evaluateEscalation(subject, messages);
    console.log(`\nEscalation on ${messages.length} messages (${file})`);
    console.log(formatEscalationReport(report));
    if (values.misses) for (const miss of report.misses) console.log(`miss [${miss.message.lang}] ${miss.message.text} -> expected ${miss.message.expected}; got ${miss.got}`);
  }
  if (files.length > 1) {
    console.log(`\nAll ${files.length} sets together (${all.length} messages)`);
    console.log(formatEscalationReport(await evaluateEscalation(subject, all)));
  }
  if (replay) {
    console.log(`\nReplayed ${replay.answered} recorded verdicts; ${replay.unknown} message(s) had none (counted as "none").`);
    await replay.stop();
  }
  if (errors.length > 0) console.log(`\n${errors.length} recovered error(s), first: ${errors[0]}`);
  if (!complete) return;
  console.log = log;
  const mode = replay ? `recorded LLM verdicts (${values['llm-replay']})` : config.llm ? `LLM ${config.env.LLM_MODEL}` : 'offline (no LLM configured: extractive answers, offline safety screen)';
  await writeSection(
    'evaluation',
    `## Evaluation

Command: \`npm run eval${values['llm-replay'] ? ` -- --llm-replay ${values['llm-replay']}` : ''}\`. Machine: ${machineLine()}; ${((Date.now() - started) / 1000).toFixed(0)} s. Mode: ${mode}.
Sets: retrieval \`test/fixtures/retrieval-questions\`; answers ${DEFAULT_ANSWER_SETS.map((file) => `\`${file}\``).join(', ')}; small talk ${DEFAULT_SMALLTALK_SETS.map((file) => `\`${file}\``).join(', ')};
escalation ${DEFAULT_SETS.map((file) => `\`${file}\``).join(', ')}. Each set's README says who wrote it and whether it was seen before tuning.

\`\`\`text
${printed.join('\n').trim()}
\`\`\``,
  );
  console.log(`written to ${BENCHMARKS_FILE}`);
});
