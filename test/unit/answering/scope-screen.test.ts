import { describe, expect, it } from 'vitest';
import { LearnedScopeScreen } from '../../../src/answering/scope-screen.js';

describe('the scope screen', () => {
  const screen = new LearnedScopeScreen();

  it('keeps the service\'s subject in scope, in several languages and spellings', () => {
    for (const text of ['Can I work in Germany?', 'kitni salary milegi germany me blue card pe', 'Combien coûte le visa national ?', 'كم نقطة أحتاج لبطاقة الفرص؟', 'Qu\'est-ce que le droit d\'asile ?']) {
      expect(screen.classify(text), text).toBe('in_scope');
    }
  });

  it('tells chit-chat and questions it is not for from it', () => {
    expect(screen.classify('how are you today?')).toBe('chitchat');
    expect(screen.classify('merci beaucoup')).toBe('chitchat');
    expect(['out_of_scope', 'likely_out_of_scope']).toContain(screen.classify("What's the weather in Berlin tomorrow?"));
    expect(['out_of_scope', 'likely_out_of_scope']).toContain(screen.classify('who won the match yesterday'));
  });

  it('never takes a long message for chit-chat', () => {
    expect(screen.classify('hello how are you, I am fine, my family is fine, thanks for asking, and how is the weather where you are today my friend')).not.toBe('chitchat');
  });
});
