import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../../../src/answering/chat-model.js';
import { LlmSafetyScreen } from '../../../src/escalation/llm-safety-screen.js';
import { sha256, VerdictReplayServer } from '../../../src/escalation/verdict-replay-server.js';

const prompt = readFileSync('prompts/safety-screen.md', 'utf8');
let server: VerdictReplayServer;
beforeAll(async () => {
  server = await new VerdictReplayServer({
    model: 'test',
    recorded: '2026-12-01',
    promptSha256: sha256(prompt),
    verdicts: { [sha256('my cousin fainted and is not waking up')]: 'safety medical_emergency', [sha256('my visa was refused yesterday')]: 'sensitive' },
  }).start();
});
afterAll(() => server.stop());

describe('replaying recorded verdicts of a screening model', () => {
  it('answers the screen’s requests over the OpenAI protocol from the record, and counts messages it has no verdict for', async () => {
    const screen = new LlmSafetyScreen(createChatModel({ model: 'replay', baseUrl: server.baseUrl, timeoutMs: 5_000 }, 0), prompt, 5_000);
    expect(await screen.classify('my cousin fainted and is not waking up')).toEqual({ reason: 'safety', danger: 'medical_emergency' });
    expect(await screen.classify('my visa was refused yesterday')).toEqual({ reason: 'sensitive' });
    expect(await screen.classify('never recorded')).toEqual({});
    expect({ answered: server.answered, unknown: server.unknown }).toEqual({ answered: 2, unknown: 1 });
  });

  it('refuses requests that are not the screen’s', async () => {
    const response = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'system', content: 'You answer questions' }] }) });
    expect(response.status).toBe(503);
  });
});
