import { describe, expect, it } from 'vitest';
import { LanguageRules, WRITING_OF, writingsOf } from '../../../src/escalation/language-rules.js';
import { loadTrainingCorpus } from '../../../src/escalation/learned/training-corpus.js';
import { normalizeText } from '../../../src/core/text/normalize-text.js';
import type { Language } from '../../../src/core/knowledge.js';

describe('the per-language rules', () => {
  const rules = new LanguageRules({
    safety: { sq: [' me vrane '], 'ar-Latn': [' bghit nmout '] },
    user_request: { de: [' mit einem menschen '] },
  });

  it('run only on messages in their own language, and the ways of writing it', () => {
    expect(rules.match('ai po me vrane', ['sq'])?.reason).toBe('safety');
    // The same letters in a German conversation are not Albanian.
    expect(rules.match('ai po me vrane', ['de'])).toBeUndefined();
    // Arabizi belongs to Arabic.
    expect(rules.match('wallah bghit nmout', writingsOf(['ar']))?.reason).toBe('safety');
    expect(rules.match('wallah bghit nmout', writingsOf(['fr']))).toBeUndefined();
    expect(writingsOf(['ar', 'en'])).toEqual(['ar', 'en', 'ar-Latn', 'pcm']);
  });

  it('puts safety before any other signal', () => {
    const both = new LanguageRules({ safety: { en: [' hurt me '] }, user_request: { en: [' human '] } });
    expect(both.match('a human, he will hurt me', ['en'])?.reason).toBe('safety');
  });

  it('refuses a rule for a language Lotse does not know', () => {
    expect(() => new LanguageRules({ safety: { xx: ['a'] } })).toThrow();
  });

  it('fire on no ordinary message of the training corpus, in its own language', () => {
    const shipped = LanguageRules.load();
    const corpus = loadTrainingCorpus();
    const wrong: string[] = [];
    for (const message of corpus.messages) {
      if (message.label === 'safety') continue;
      const language = (WRITING_OF[message.lang] ?? message.lang) as Language;
      const found = shipped.match(message.text, writingsOf([language]));
      // A rule may not raise an alarm on an ordinary message, nor call a case or a request "danger".
      if (found && (message.label === 'none' || found.reason === 'safety')) wrong.push(`${found.reason} ${found.pattern} <- [${message.lang}] ${normalizeText(message.text)}`);
    }
    expect(wrong).toEqual([]);
  });
});
