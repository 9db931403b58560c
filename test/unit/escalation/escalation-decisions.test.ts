import { describe, expect, it } from 'vitest';
import { consentedUser, testEngine } from '../../helpers/engine.js';

/**
 * What the first measurement found wrong, each as a message through the whole pipeline (written
 * for this test, not taken from any held-out set). The held-out figures are in `npm run eval`.
 */
describe('escalation decisions that the pattern screen got wrong', async () => {
  const engine = await testEngine();
  let n = 0;
  const decide = async (text: string, first = 'Hello') => {
    const u = await consentedUser(engine, `d${++n}`, first);
    return (await u.send(text)).escalation?.reason ?? null;
  };

  it('puts danger before a legal word in the same message', async () => {
    expect(await decide('My husband beats me and says he will get my residence permit cancelled if I go to the police')).toBe('safety');
  });

  it('does not treat a common word as danger or a case: "my family", the Vietnamese word for "condition"', async () => {
    expect(await decide('My family wants to visit me in Germany, which visa do they need?')).not.toBe('safety');
    expect(await decide('Điều kiện để xin visa lao động ở Đức là gì?', 'Xin chào')).not.toBe('sensitive');
  });

  it('does not treat a plain request for a definition as an individual case', async () => {
    expect(await decide('What does Duldung mean?')).not.toBe('sensitive');
    expect(await decide('Was bedeutet Abschiebung genau?', 'Hallo, ich habe eine Frage')).not.toBe('sensitive');
  });

  it('does not raise an alarm on an idiom about dying', async () => {
    expect(await decide('This visa process is killing me 😅 how long does it usually take?')).not.toBe('safety');
  });
});
