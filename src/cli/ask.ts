import { parseArgs } from 'node:util';
import { ExtractiveAnswerer } from '../answering/extractive-answerer.js';
import { loadConfig } from '../config/config.js';
import { LotseError } from '../core/errors.js';
import { LANGUAGES, isLanguage } from '../core/knowledge.js';
import { detectLanguage } from '../i18n/detect-language.js';
import { Messages } from '../i18n/i18n.js';
import { openKnowledge } from '../retrieval/open-knowledge.js';
import { runCli } from './run-cli.js';

const USAGE = `usage: npm run ask -- [--json] [--lang ${LANGUAGES.join('|')}] "question"`;

/** `npm run ask`: one question, one answer from the knowledge base, with sources. */
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
  const { retriever, built } = await openKnowledge(config);
  if (built && !parsed.values.json) console.error(`(built the knowledge index first: ${built.chunks} chunks)`);
  const language = lang ?? detectLanguage(question).language;
  const result = await retriever.retrieve({ text: question, language });
  const answer = new ExtractiveAnswerer(Messages.create()).answer(question, language, result);
  console.log(parsed.values.json ? JSON.stringify(answer) : answer.answer);
});
