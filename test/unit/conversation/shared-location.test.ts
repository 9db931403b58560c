import { describe, expect, it } from 'vitest';
import { consentedUser, testEngine } from '../../helpers/engine.js';

describe('a shared location and the phone number as hints for the country', () => {
  it('proposes the country of a shared location and keeps it only after yes', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'loc1');
    const asked = await u.send('', { kind: 'location', sharedCountry: 'SN' });
    expect(asked.replies).toHaveLength(1);
    expect(asked.replies[0]!.text).toContain('Senegal');
    expect(asked.replies[0]!.buttons?.map((b) => b.action)).toEqual(['choice:yes', 'choice:no']);
    expect((await engine.stores.conversations.get('test:loc1'))!.profile.country).toBeUndefined();
    const saved = await u.press('choice:yes');
    expect(saved.replies[0]!.text).toMatch(/noted Senegal/);
    const stored = (await engine.stores.conversations.get('test:loc1'))!;
    expect(stored.profile.country).toBe('SN');
    expect(stored.pending).toBeUndefined();
    expect(stored.proposedCountry).toBeUndefined();
  });

  it('keeps nothing after no, and in French names the country in French', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'loc2', 'Bonjour');
    const asked = await u.send('', { kind: 'location', sharedCountry: 'MA' });
    expect(asked.replies[0]!.text).toContain('Maroc');
    const declined = await u.send('non');
    expect(declined.replies[0]!.text).toMatch(/aucun pays/);
    expect((await engine.stores.conversations.get('test:loc2'))!.profile.country).toBeUndefined();
  });

  it('lets a question instead of yes or no drop the proposal and be answered', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'loc3');
    await u.send('', { kind: 'location', sharedCountry: 'GH' });
    const answered = await u.send('What is the Opportunity Card?');
    expect(answered.answer?.escalate).toBe(false);
    expect(answered.replies[0]!.sources?.length).toBeGreaterThan(0);
    const stored = (await engine.stores.conversations.get('test:loc3'))!;
    expect(stored.profile.country).toBeUndefined();
    expect(stored.pending).toBeUndefined();
  });

  it('asks for the country by name when the location is at sea or unknown', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'loc4');
    const asked = await u.send('', { kind: 'location' });
    expect(asked.replies[0]!.text).toMatch(/Which country/);
    expect((await engine.stores.conversations.get('test:loc4'))!.pending).toBe('country');
  });

  it('offers the phone number\'s country as one tap when an answer depends on the country', async () => {
    const engine = await testEngine();
    const u = await consentedUser(engine, 'loc5');
    const asked = await u.send('Where is the nearest Centre for Migration and Development?', { countryHint: 'GH' });
    expect(engine.errors).toEqual([]);
    expect(asked.replies[0]!.buttons?.[0]).toEqual({ label: 'Ghana', action: 'country:GH' });
    // The hint is not taken as the country until the user taps it.
    expect((await engine.stores.conversations.get('test:loc5'))!.profile.country).toBeUndefined();
    const answered = await u.press('country:GH');
    expect(answered.replies[0]!.text).toMatch(/Accra|Ghana/);
    expect((await engine.stores.conversations.get('test:loc5'))!.profile.country).toBe('GH');
  });
});
