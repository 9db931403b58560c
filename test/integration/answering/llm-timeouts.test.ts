import { readFileSync } from 'node:fs';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../src/answering/extractive-answerer.js';
import { LlmAnswerer } from '../../../src/answering/llm-answerer.js';
import { PromptTemplate } from '../../../src/answering/prompt-templates.js';
import { loadConfig } from '../../../src/config/config.js';
import { createAnswerer } from '../../../src/conversation/create-engine.js';
import type { LotseError } from '../../../src/core/errors.js';
import { LlmSafetyScreen } from '../../../src/escalation/llm-safety-screen.js';
import { Messages } from '../../../src/i18n/i18n.js';
import type { HybridRetriever } from '../../../src/retrieval/hybrid-retriever.js';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { testRetriever } from '../../helpers/load-test-index.js';

let server: FakeOpenAiServer;
let retriever: HybridRetriever;

beforeAll(async () => {
  server = await new FakeOpenAiServer().start();
  retriever = await testRetriever();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.abandoned.length = 0;
  server.behaviour = { kind: 'reply', content: 'ok' };
});

/** A chat model that would wait and retry on its own: only the caller's signal can bound it. */
const patientModel = () => new ChatOpenAI({ model: 'test-model', apiKey: 'not-needed', configuration: { baseURL: server.baseUrl }, maxRetries: 3 });

async function eventually(predicate: () => boolean, ms = 2_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const QUESTION = 'How many points do I need for the Opportunity Card?';

describe('LLM answers on a hung server', () => {
  it('fall back within LLM_TIMEOUT_MS with LLM_TIMEOUT, and the request is aborted, not left open', async () => {
    const fallbacks: Error[] = [];
    const answerer = createAnswerer(loadConfig({ OPENAI_BASE_URL: server.baseUrl, LLM_TIMEOUT_MS: '400' }), Messages.create(), (error) => fallbacks.push(error));
    server.behaviour = { kind: 'delay', ms: 10_000, content: 'too late' };
    const started = Date.now();
    const answer = await answerer.answer({ question: QUESTION, language: 'en', retrieval: await retriever.retrieve({ text: QUESTION, language: 'en' }), history: [] });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(answer.answer).not.toContain('too late');
    expect(fallbacks.map((e) => (e as LotseError).code)).toEqual(['LLM_TIMEOUT']);
    await eventually(() => server.abandoned.includes('POST /v1/chat/completions'), 2_000, 'the connection to close');
  });

  it('are bounded by the answerer’s own signal even when the model would retry without a timeout', async () => {
    const messages = Messages.create();
    const fallbacks: LotseError[] = [];
    const prompts = { system: PromptTemplate.load('prompts', 'answer-system.md'), user: PromptTemplate.load('prompts', 'answer-user.md') };
    const answerer = new LlmAnswerer(patientModel(), prompts, new ExtractiveAnswerer(messages), messages, { timeoutMs: 400, onFallback: (error) => fallbacks.push(error) });
    server.behaviour = { kind: 'delay', ms: 10_000, content: 'too late' };
    const started = Date.now();
    await answerer.answer({ question: QUESTION, language: 'en', retrieval: await retriever.retrieve({ text: QUESTION, language: 'en' }), history: [] });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fallbacks.map((e) => e.code)).toEqual(['LLM_TIMEOUT']);
    await eventually(() => server.abandoned.includes('POST /v1/chat/completions'), 2_000, 'the connection to close');
    // Aborted, so not retried: one request reached the server.
    expect(server.requests).toHaveLength(1);
  });
});

describe('the semantic safety screen on a hung or failing server', () => {
  const instructions = readFileSync('prompts/safety-screen.md', 'utf8');

  it('gives up within its timeout with LLM_TIMEOUT, and the request is aborted', async () => {
    server.behaviour = { kind: 'delay', ms: 10_000, content: 'safety' };
    const screen = new LlmSafetyScreen(patientModel(), instructions, 400);
    const started = Date.now();
    await expect(screen.classify('they took my passport')).rejects.toMatchObject({ code: 'LLM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1_500);
    await eventually(() => server.abandoned.includes('POST /v1/chat/completions'), 2_000, 'the connection to close');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a server error as LLM_FAILED', async () => {
    server.behaviour = { kind: 'status', status: 400 };
    const screen = new LlmSafetyScreen(patientModel(), instructions, 2_000);
    await expect(screen.classify('hello')).rejects.toMatchObject({ code: 'LLM_FAILED' });
  });

  it('still classifies when the server answers in time', async () => {
    server.screenAnswer = 'safety trafficking_exploitation';
    const screen = new LlmSafetyScreen(patientModel(), instructions, 2_000);
    await expect(screen.classify('they took my passport')).resolves.toEqual({ reason: 'safety', danger: 'trafficking_exploitation' });
  });
});
