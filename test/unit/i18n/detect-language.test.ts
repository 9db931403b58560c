import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/i18n/detect-language.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { LANGUAGES } from '../../../src/core/knowledge.js';

describe('detectLanguage', () => {
  it.each([
    ['How many points do I need for the Opportunity Card in Germany?', 'en'],
    ['Wie viele Punkte brauche ich für die Chancenkarte?', 'de'],
    ['Combien de points faut-il pour la carte opportunité ?', 'fr'],
    ['كم نقطة أحتاج لبطاقة الفرص؟', 'ar'],
    ['¿Cuántos puntos necesito para la tarjeta de oportunidades?', 'es'],
    ['Sa pikë më duhen për kartën e mundësive në Gjermani?', 'sq'],
    ['Koliko poena mi treba za kartu šansi u Nemačkoj?', 'sr'],
    ['Колико поена ми треба за карту шанси?', 'sr'],
    ['Tôi cần bao nhiêu điểm cho thẻ cơ hội?', 'vi'],
    ['مجھے جرمنی میں کام کے لیے کیا چاہیے؟', 'ur'],
    ['Berapa poin yang saya butuhkan untuk kartu peluang?', 'id'],
    // Short greetings and questions, where trigrams alone guess wrong.
    ['Hello, I have a question', 'en'],
    ['I have a question about my visa', 'en'],
    ['Hi, can you help me?', 'en'],
    ["Bonjour, j'ai une question", 'fr'],
    ['Hallo, ich habe eine Frage', 'de'],
    ['Pershendetje, kam nje pyetje', 'sq'],
    ['Zdravo, imam pitanje', 'sr'],
    // French with â, ê or ô, which Vietnamese writes too: French, not Vietnamese.
    ["Je dois être à l'hôpital demain", 'fr'],
    ['Mon frère a peur, il a été frappé', 'fr'],
    ['Quel âge faut-il avoir ?', 'fr'],
    ['Tôi bị đánh', 'vi'],
  ])('%s -> %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('keeps the fallback when the text is too short or has no letters', () => {
    expect(detectLanguage('ok', 'fr')).toEqual({ language: 'fr', confident: false });
    expect(detectLanguage('123 !!', 'ar')).toEqual({ language: 'ar', confident: false });
  });
});

describe('Messages', () => {
  it('has every English key in every language', () => {
    const messages = Messages.create();
    for (const language of LANGUAGES) expect(messages.missingKeys(language), language).toEqual([]);
  });

  it('translates and interpolates', () => {
    const t = Messages.create().for('de');
    expect(t('answer.asOf', { date: '2026-11-22' })).toBe('Stand 2026-11-22');
  });
});
