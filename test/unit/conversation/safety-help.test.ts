import { describe, expect, it } from 'vitest';
import type { MemoryCaseStore } from '../../../src/conversation/memory-stores.js';
import type { DangerKind } from '../../../src/core/danger.js';
import type { EscalationClassifier, ScreenVerdict } from '../../../src/core/ports.js';
import { consentedUser, testEngine } from '../../helpers/engine.js';

/** A screen that answers what the test says, so that the flow after the decision is what is tested. */
function scripted(verdicts: Record<string, ScreenVerdict>): EscalationClassifier {
  return { screen: (text) => verdicts[text] ?? { risk: 0, atRisk: false } };
}
const danger = (kind: DangerKind): ScreenVerdict => ({ reason: 'safety', danger: kind, risk: 0.95, atRisk: true });
const weakRisk = (kind: DangerKind): ScreenVerdict => ({ risk: 0.2, atRisk: true, danger: kind });

describe('help that fits the danger and the country', () => {
  it('answers the kind of danger with its own words and contacts, asks where the person is, then sends the local numbers', async () => {
    const engine = await testEngine();
    engine.deps.classifier = scripted({ 'they will marry me off next week': danger('forced_marriage') });
    const u = await consentedUser(engine, 'h1');
    const first = await u.send('they will marry me off next week');
    expect(first.escalation).toEqual({ reason: 'safety', danger: 'forced_marriage' });
    const reply = first.replies[0]!;
    expect(reply.text).toMatch(/^Nobody may force you to marry/);
    // The women's and forced-marriage helpline first, under a heading for Germany.
    expect(reply.text).toMatch(/Help in Germany:\n• [^\n]*: 116 016/);
    expect(reply.text).toContain('Which country are you in right now?');
    expect(reply.buttons).toEqual([{ label: 'I am in Germany', action: 'help:DE' }]);

    const second = await u.send('Senegal');
    expect(second.replies[0]!.text).toMatch(/^Help in Senegal:\n• /);
    expect(second.replies[0]!.text).not.toContain('Germany');
    const conversation = await engine.stores.conversations.get('test:h1');
    expect(conversation?.profile.country).toBe('SN');
    expect(conversation?.pending).toBeUndefined();
    // The advisors see the answer in the case too.
    const cases = engine.stores.cases as MemoryCaseStore;
    expect(cases.events.map((e) => e.text)).toContain('Senegal');
  });

  it('shows the numbers of the person’s country and of Germany at once when the country is known', async () => {
    const engine = await testEngine();
    engine.deps.classifier = scripted({ 'my brother was taken and they want money': danger('kidnapping') });
    const u = await consentedUser(engine, 'h2');
    await u.send('/profile');
    await u.send('Ghana');
    await u.send('returned');
    const result = await u.send('my brother was taken and they want money');
    const text = result.replies[0]!.text;
    expect(text).toMatch(/Help in Ghana:[\s\S]*Help in Germany:/);
    expect(text).not.toContain('Which country');
    expect(result.replies[0]!.buttons).toBeUndefined();
  });

  it('turns any escalation with a risk signal into a safety case with contacts, and leaves a good answer alone', async () => {
    const engine = await testEngine();
    engine.deps.classifier = scripted({
      'qwxz vbnm plkj': weakRisk('destitution'),
      'How many points do I need for the Opportunity Card?': weakRisk('destitution'),
    });
    const u = await consentedUser(engine, 'h3');
    // Lotse cannot answer this: it would go to a human for low confidence; with a risk signal it goes as safety.
    const unclear = await u.send('qwxz vbnm plkj');
    expect(unclear.escalation).toEqual({ reason: 'safety', danger: 'destitution' });
    expect(unclear.openedCase?.priority).toBe('urgent');
    expect(unclear.replies.map((r) => r.text).join('\n')).toMatch(/no food or no place to sleep[\s\S]*Help in Germany:/);

    const other = await consentedUser(engine, 'h4');
    const answered = await other.send('How many points do I need for the Opportunity Card?');
    expect(answered.escalation).toBeUndefined();
    expect(answered.replies[0]!.text).toMatch(/at least 6 points/i);
  });

  it('makes a waiting case urgent when the person then writes about danger', async () => {
    const engine = await testEngine();
    engine.deps.classifier = scripted({ 'he is hitting me again right now': danger('violence') });
    const u = await consentedUser(engine, 'h5');
    const asked = await u.send('Talk to an advisor', { action: 'cmd:advisor' });
    expect(asked.openedCase?.priority).toBe('normal');
    const result = await u.send('he is hitting me again right now');
    expect(result.replies[0]!.text).toMatch(/call the police[\s\S]*: 110/);
    const raised = await engine.stores.cases.get(asked.openedCase!.id);
    expect(raised).toMatchObject({ priority: 'urgent', reason: 'safety', danger: 'violence' });
  });

  it('asks in the user’s language and names the country in it', async () => {
    const engine = await testEngine();
    engine.deps.classifier = scripted({ 'on me force à travailler sans salaire et ils ont pris mon passeport': danger('trafficking_exploitation') });
    const u = await consentedUser(engine, 'h6', 'Bonjour, j’ai une question');
    const result = await u.send('on me force à travailler sans salaire et ils ont pris mon passeport');
    expect(result.replies[0]!.language).toBe('fr');
    expect(result.replies[0]!.text).toContain('Allemagne');
    expect(result.replies[0]!.text).not.toContain('Help in');
  });
});
