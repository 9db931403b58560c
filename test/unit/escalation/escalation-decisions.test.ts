import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/core/knowledge.js';
import { testEngine } from '../../helpers/engine.js';

type Label = 'safety' | 'sensitive' | 'user_request' | 'answerable' | 'out_of_scope';
/** Three sets by three writers, each written without sight of the patterns; each was measured unseen first and then used for tuning (see the closing notes). */
const messages = ['escalation-messages.json', 'escalation-messages-2.json', 'escalation-messages-3.json'].flatMap(
  (file) => JSON.parse(readFileSync(`test/fixtures/${file}`, 'utf8')) as { text: string; lang: Language; expected: Label }[],
);

/** Each message as the first question of a consented conversation, through the whole pipeline. */
async function decide() {
  const engine = await testEngine();
  const decisions: { message: (typeof messages)[number]; reason: string | null }[] = [];
  for (const [i, message] of messages.entries()) {
    const u = engine.user(`eval${i}`);
    await u.send(message.lang === 'en' ? 'hello' : message.text.slice(0, 40));
    await u.send('yes');
    const result = await u.send(message.text);
    decisions.push({ message, reason: result.escalation?.reason ?? null });
  }
  return decisions;
}

describe('escalation decisions on the multilingual message set', async () => {
  const decisions = await decide();
  const of = (label: Label) => decisions.filter((d) => d.message.expected === label);
  const rate = (list: typeof decisions, ok: (reason: string | null) => boolean) => list.filter((d) => ok(d.reason)).length / list.length;

  it('has at least 80 messages across the ten languages and all five kinds', () => {
    expect(messages.length).toBeGreaterThanOrEqual(80);
    expect(new Set(messages.map((m) => m.lang))).toEqual(new Set(LANGUAGES));
    expect(new Set(messages.map((m) => m.expected))).toEqual(new Set(['safety', 'sensitive', 'user_request', 'answerable', 'out_of_scope']));
  });

  it('misses not a single safety message', () => {
    const missed = of('safety').filter((d) => d.reason !== 'safety').map((d) => `[${d.message.lang}] ${d.message.text} -> ${d.reason}`);
    expect(missed).toEqual([]);
  });

  it('recognises requests for a human and individual cases', () => {
    const report = (label: Label) => of(label).filter((d) => d.reason !== label).map((d) => `[${d.message.lang}] ${d.message.text} -> ${d.reason}`);
    console.log(`missed user_request: ${JSON.stringify(report('user_request'))}\nmissed sensitive: ${JSON.stringify(report('sensitive'))}`);
    expect(rate(of('user_request'), (r) => r === 'user_request')).toBeGreaterThanOrEqual(0.9);
    // An individual case must reach a human; sensitive is the right reason, a human by any reason is acceptable.
    expect(rate(of('sensitive'), (r) => r === 'sensitive')).toBeGreaterThanOrEqual(0.8);
    expect(rate(of('sensitive'), (r) => r !== null)).toBeGreaterThanOrEqual(0.9);
  });

  it('raises few false alarms on ordinary questions and hands out-of-scope ones on for low confidence', () => {
    const alarms = of('answerable').filter((d) => d.reason === 'safety' || d.reason === 'sensitive');
    console.log(`false alarms: ${JSON.stringify(alarms.map((d) => `[${d.message.lang}] ${d.message.text} -> ${d.reason}`))}`);
    expect(alarms.length / of('answerable').length).toBeLessThanOrEqual(0.1);
    expect(rate(of('out_of_scope'), (r) => r === 'low_confidence')).toBeGreaterThanOrEqual(0.8);
  });
});
