import { describe, expect, it } from 'vitest';
import { PatternEscalationClassifier } from '../../../src/escalation/pattern-classifier.js';

const classifier = new PatternEscalationClassifier();

describe('the escalation classifier: concept rules', () => {
  it.each([
    ['the foreman collected our ID cards and the gate is locked at night', 'safety'],
    ['Der Chef hat unsere Ausweise eingesammelt', 'safety'],
    ['someone says he can get me into Germany in the back of a lorry for 3000 euro', 'safety'],
    ['it would be easier if i just wasnt here anymore', 'safety'],
    ['he touches me when we are alone in the kitchen', 'safety'],
    ['Mi jefe no me paga desde hace tres meses y dice que si me quejo llama a la policía', 'safety'],
  ])('%s -> %s', (text, reason) => {
    expect(classifier.classify(text)).toBe(reason);
  });

  it.each([
    'Do I have to take my passport to the visa appointment?',
    'Can I move to Germany as a truck driver?',
    "J'ai pris mon passeport, que dois-je apporter d'autre ?",
    'How much money do I need in the blocked account per month?',
    'Is there a ferry from Tunis to Italy for tourists?',
    'Wie lange muss mein Pass noch gültig sein?',
  ])('raises no alarm on an ordinary question: %s', (text) => {
    expect(classifier.classify(text)).toBeUndefined();
  });

  it('refuses a rule that names an unknown concept', () => {
    expect(() => new PatternEscalationClassifier({ safety: {}, sensitive: {}, user_request: {} }, { concepts: {}, rules: { safety: [['nope']] } })).toThrow('unknown concept "nope"');
  });
});
