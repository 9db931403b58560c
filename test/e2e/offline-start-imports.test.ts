import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * What an offline configuration (no LLM, no Slack, no Telegram, no WhatsApp) loads: `npm run ask`
 * answers a question, `npm start`'s composition root (src/main.ts) is imported and the gateway's
 * HTTP server made ready, in a child
 * process whose module loader records every module resolved. What that configuration does not use
 * must not be loaded at all: each of these costs start-up time (together about 1.5 s on a small machine).
 */
const NOT_LOADED: [string, RegExp][] = [
  ['LangChain OpenAI integration', /node_modules\/@langchain\/openai\//],
  ['OpenAI client', /node_modules\/openai\//],
  ['the LLM parts (answerer, translator, brief writer, LLM screen)', /src\/(answering\/(llm-[a-z-]+|chat-model)|escalation\/llm-safety-screen)\.ts/],
  ['Slack SDK', /node_modules\/@slack\//],
  ['Telegram SDK', /node_modules\/(grammy|@grammyjs)\//],
  ['WhatsApp transports', /node_modules\/whatsapp-web\.js\/|src\/channels\/whatsapp\/(adapter\.ts|cloud\/|web\/)/],
  ["eld's whole language database", /node_modules\/eld\/src\/ngrams\//],
  ["fastify's JSON-schema compilers (no route declares a schema)", /node_modules\/(ajv|@fastify\/ajv-compiler|fast-json-stringify|@fastify\/fast-json-stringify-compiler)\//],
  ['the index builder (the index exists)', /node_modules\/gray-matter\/|src\/retrieval\/index-builder\.ts/],
  ['bull-board (the queue dashboard loads it at its first request)', /node_modules\/@bull-board\/|node_modules\/@fastify\/static\//],
];

let dir: string;
beforeAll(async () => {
  // eld's language subset is made once (at install, by npm ci's prepare); this makes sure it is there.
  await import('../../src/i18n/detect-language.js');
  dir = mkdtempSync(path.join(os.tmpdir(), 'lotse-imports-'));
  writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(path.join(dir, 'loaded.txt'))}, result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  writeFileSync(
    path.join(dir, 'entry.mjs'),
    `await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/main.ts')).href)});
const { createHttpServer } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/infra/http-server.ts')).href)});
const { createMetrics } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/infra/metrics.ts')).href)});
await createHttpServer({ channels: [], metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }) }).ready();
process.argv = [process.argv[0], 'ask.ts', 'What is the Opportunity Card?'];
await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/cli/ask.ts')).href)});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an offline configuration', () => {
  it('answers without loading an LLM client, a platform SDK it has no token for, or more of eld than it needs', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.dirname(inject('indexDir')), LOG_LEVEL: 'silent' };
    for (const name of Object.keys(env)) if (/^(TELEGRAM_|OPENAI_|SLACK_|WHATSAPP_|TRANSCRIPTION_|EMBEDDINGS)/.test(name)) delete env[name];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', path.join(dir, 'register.mjs'), path.join(dir, 'entry.mjs')], { cwd: ROOT, env });
    expect(stdout).toMatch(/Opportunity Card/);
    const loaded = readFileSync(path.join(dir, 'loaded.txt'), 'utf8').split('\n');
    // The recording works: what the answer needs is there.
    expect(loaded.some((url) => url.includes('/node_modules/eld/'))).toBe(true);
    expect(loaded.some((url) => url.includes('/node_modules/hnswlib-node/'))).toBe(true);
    for (const [what, pattern] of NOT_LOADED) expect(loaded.filter((url) => pattern.test(url)), what).toEqual([]);
  });
});
