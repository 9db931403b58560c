import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScreenAnswer } from '../../../src/escalation/llm-safety-screen.js';
import { FakeOpenAiServer } from '../../helpers/fake-openai-server.js';
import { consentedUser, testEngine } from '../../helpers/engine.js';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await new FakeOpenAiServer().start();
});
afterAll(() => server.stop());

const screenRequests = () => server.requests.filter((r) => r.messages[0]!.content.startsWith('You screen messages'));
const QUIET = { screen: () => ({ risk: 0, atRisk: false }) };

describe('the semantic safety screen (with an LLM configured)', () => {
  it('sees every message, redacted, and raises safety with its kind of danger when the offline screen found nothing', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl, LLM_MODEL: 'test-model' } });
    engine.deps.classifier = QUIET;
    server.screenAnswer = (message) => (message.includes('chest') ? 'safety medical_emergency' : 'none');
    const u = await consentedUser(engine, 's1');
    server.requests.length = 0;
    const result = await u.send('my uncle has chest pain and his arm is numb since an hour, call +49 151 23456789 if needed');
    expect(result.escalation).toEqual({ reason: 'safety', danger: 'medical_emergency' });
    expect(result.openedCase?.priority).toBe('urgent');
    expect(result.openedCase?.danger).toBe('medical_emergency');
    // An ambulance first, for a medical emergency.
    expect(result.replies[0]!.text).toMatch(/medical emergency[\s\S]*: 112/);
    const [screen] = screenRequests();
    expect(screen!.messages[1]!.content).toContain('[phone]');
    expect(screen!.messages[1]!.content).not.toContain('23456789');
  });

  it('keeps the offline screen’s safety when the LLM says none: either can raise it', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl } });
    server.screenAnswer = 'none';
    const u = await consentedUser(engine, 's2');
    server.requests.length = 0;
    const result = await u.send('I want to kill myself tonight, I have the pills here');
    expect(result.escalation?.reason).toBe('safety');
    expect(screenRequests()).toHaveLength(1);
  });

  it('leaves the offline verdict when the LLM fails, and the turn still works', async () => {
    const engine = await testEngine({ env: { OPENAI_BASE_URL: server.baseUrl } });
    const u = await consentedUser(engine, 's3');
    server.behaviour = { kind: 'status', status: 500 };
    const result = await u.send('How many points do I need for the Opportunity Card?');
    server.behaviour = { kind: 'reply', content: 'ok' };
    expect(result.escalation).toBeUndefined();
    expect(result.replies[0]!.text).toMatch(/at least 6 points/i);
    expect(engine.errors.map((e) => e.where)).toContain('semantic screen');
  });

  it('reads the screen’s one-line answers, and nothing else', () => {
    expect(parseScreenAnswer('safety forced_marriage')).toEqual({ reason: 'safety', danger: 'forced_marriage' });
    expect(parseScreenAnswer('Safety: kidnapping.')).toEqual({ reason: 'safety', danger: 'kidnapping' });
    expect(parseScreenAnswer('safety')).toEqual({ reason: 'safety' });
    expect(parseScreenAnswer('safety something_else')).toEqual({ reason: 'safety' });
    expect(parseScreenAnswer('sensitive')).toEqual({ reason: 'sensitive' });
    expect(parseScreenAnswer('user_request')).toEqual({ reason: 'user_request' });
    expect(parseScreenAnswer('none')).toEqual({});
    expect(parseScreenAnswer('I think this is fine')).toEqual({});
  });
});
