import { describe, expect, it } from 'vitest';
import { testEngine } from '../../helpers/engine.js';

describe('danger written before the privacy notice was answered', () => {
  it('gets the emergency contacts at once, keeps nothing, and then waits for consent', async () => {
    const engine = await testEngine();
    engine.deps.classifier = { screen: (text) => (text.startsWith('he is beating') ? { reason: 'safety', danger: 'violence', risk: 0.97, atRisk: true } : { risk: 0, atRisk: false }) };
    const u = engine.user('q4');
    const first = await u.send('he is beating me right now please help');
    expect(first.replies[0]!.text).toMatch(/call the police[\s\S]*Help in Germany:\n• [^\n]*: 110/);
    // Before consent there is no case and no country question (nothing is kept to follow it up).
    expect(first.replies[0]!.text).not.toContain('Which country');
    expect(first.openedCase).toBeUndefined();
    expect(first.replies[1]!.text).toMatch(/^I can only answer after you agree/);
    expect(first.replies[1]!.buttons?.map((b) => b.action)).toEqual(['choice:yes', 'choice:no']);
    const stored = await engine.stores.conversations.get('test:q4');
    expect(JSON.stringify(stored)).not.toContain('beating');
    expect(stored?.pending).toBeUndefined();
    // An ordinary question before consent still gets only the notice.
    const v = engine.user('q5');
    const ordinary = await v.send('How many points do I need for the Opportunity Card?');
    expect(ordinary.replies).toHaveLength(1);
    expect(ordinary.replies[0]!.text).toMatch(/^Hello, I am Lotse/);
  });
});
