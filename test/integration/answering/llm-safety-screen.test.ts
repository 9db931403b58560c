import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { consentedUser, testEngine } from '../../helpers/engine.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await new FakeOpenAiServer().start();
});
afterAll(() => server.stop());

// Indirect: no word any pattern knows, yet a person in a trafficking situation.
const INDIRECT = 'the man who arranged my job watches us all day and says we can go home only when we have worked off what we owe him. my number is +49 151 23456789';

describe('the semantic safety screen (with an LLM configured)', () => {
  it('catches what the patterns miss, sees only redacted text, and gives the emergency contacts', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl, LLM_MODEL: 'test-model' } });
    expect(engine.deps.classifier.classify(INDIRECT)).toBeUndefined();
    server.screenAnswer = 'safety';
    const u = await consentedUser(engine, 's1');
    server.requests.length = 0;
    const result = await u.send(INDIRECT);
    expect(result.escalation).toEqual({ reason: 'safety' });
    expect(result.openedCase?.priority).toBe('urgent');
    expect(result.replies[0]!.text).toContain('110');
    const screen = server.requests.find((r) => r.messages[0]!.content.startsWith('You screen messages'))!;
    expect(screen.messages[1]!.content).toContain('[phone]');
    expect(screen.messages[1]!.content).not.toContain('23456789');
  });

  it('does not ask the LLM when the patterns already decided', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl } });
    const u = await consentedUser(engine, 's2');
    server.requests.length = 0;
    const result = await u.send('I want to kill myself');
    expect(result.escalation).toEqual({ reason: 'safety' });
    expect(server.requests.filter((r) => r.messages[0]!.content.startsWith('You screen messages'))).toHaveLength(0);
  });

  it('leaves the patterns’ verdict when the LLM fails, and the turn still works', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl } });
    const u = await consentedUser(engine, 's3');
    server.behaviour = { kind: 'status', status: 500 };
    const result = await u.send('How many points do I need for the Opportunity Card?');
    server.behaviour = { kind: 'reply', content: 'ok' };
    expect(result.escalation).toBeUndefined();
    expect(result.replies[0]!.text).toMatch(/at least 6 points/i);
    expect(engine.errors.map((e) => e.where)).toContain('semantic screen');
  });
});
