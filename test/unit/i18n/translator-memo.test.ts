import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../src/core/knowledge.js';
import { detectLanguage } from '../../../src/i18n/detect-language.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator, LanguageService } from '../../../src/i18n/translator.js';

describe('I18nTranslator, remembering texts without parameters', () => {
  const messages = Messages.create();
  const translator = new I18nTranslator(messages);

  it('gives what i18next gives, with and without parameters, in every language', () => {
    for (const language of LANGUAGES) {
      const t = messages.for(language);
      for (const key of ['greeting', 'help', 'buttons.advisor', 'answer.sources', 'commandWords.yes.0', 'no.such.key']) {
        expect(translator.t(language, key)).toBe(t(key, {}));
        expect(translator.t(language, key)).toBe(t(key, {}));
      }
      expect(translator.t(language, 'answer.asOf', { date: '2026-11-30' })).toBe(t('answer.asOf', { date: '2026-11-30' }));
      expect(translator.t(language, 'consent.notice', { days: 90 })).toBe(t('consent.notice', { days: 90 }));
    }
  });
});

describe('LanguageService, remembering detections', () => {
  it('detects as detectLanguage does, for the same text with another fallback too, and returns a copy', () => {
    const service = new LanguageService();
    const texts = ['Wie viele Punkte brauche ich für die Chancenkarte?', 'ok', 'كم نقطة أحتاج', 'merci', '12345', ''];
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        for (const fallback of ['en', 'fr'] as const) expect(service.detect(text, fallback)).toEqual(detectLanguage(text, fallback));
      }
    }
    const detected = service.detect('Wie viele Punkte brauche ich für die Chancenkarte?', 'en');
    detected.language = 'fr';
    expect(service.detect('Wie viele Punkte brauche ich für die Chancenkarte?', 'en').language).toBe('de');
  });
});
