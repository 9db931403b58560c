import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import type { Answer } from '../core/answer.js';
import { newConversation } from '../core/conversation.js';
import { LotseError } from '../core/errors.js';
import { LANGUAGES, isLanguage } from '../core/knowledge.js';
import { conversationKey } from '../core/message.js';
import { createEngine, memoryStores } from '../conversation/create-engine.js';
import { detectLanguage } from '../i18n/detect-language.js';
import { createLogger, logRecovered } from '../infra/logger.js';
import { PiiRedactor } from '../privacy/pii-redactor.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { plainText } from '../channels/plain-text.js';
import { runCli } from './run-cli.js';

const USAGE = `usage: npm run ask -- [--json] [--lang ${LANGUAGES.join('|')}] "question"`;

/** `npm run ask`: one question through the whole conversation pipeline, as a one-shot conversation (consent taken as given). */
runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, lang: { type: 'string' } } });
  } catch (error) {
    throw new LotseError('USAGE', `${(error as Error).message}\n${USAGE}`);
  }
  const question = parsed.positionals.join(' ').trim();
  if (question === '') throw new LotseError('USAGE', `No question given.\n${USAGE}`);
  const lang = parsed.values.lang;
  if (lang !== undefined && !isLanguage(lang)) throw new LotseError('USAGE', `--lang ${lang} is not one of ${LANGUAGES.join(', ')}.\n${USAGE}`);

  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, process.stderr);
  const redactor = new PiiRedactor();
  const { retriever, built } = await openKnowledge(config);
  if (built && !parsed.values.json) console.error(`(built the knowledge index first: ${built.chunks} chunks)`);

  const stores = memoryStores();
  const { handle } = createEngine({ config, retriever, stores, onError: logRecovered(logger, redactor) });
  const now = new Date().toISOString();
  const language = lang ?? detectLanguage(question).language;
  const conversation = newConversation(conversationKey('cli', 'ask'), 'cli', 'ask', language, now);
  conversation.consent = { ...conversation.consent, status: 'given', at: now };
  conversation.languageLocked = lang !== undefined;
  await stores.conversations.save(conversation);

  const result = await handle({ id: 'cli:ask:1', channel: 'cli', userId: 'ask', kind: 'text', text: question, receivedAt: now });
  const final = await stores.conversations.get(conversation.key);
  const answer: Answer = {
    language: final?.language ?? language,
    answer: result.replies.map((reply) => plainText(reply)).join('\n\n'),
    sources: result.answer?.escalate ? [] : (result.answer?.sources ?? []),
    escalate: result.escalation !== undefined,
    reason: result.escalation?.reason ?? null,
  };
  console.log(parsed.values.json ? JSON.stringify(answer) : answer.answer);
});
