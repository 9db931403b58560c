import { describe, expect, it } from 'vitest';
import { IntlCountryParser } from '../../../src/conversation/country-parser.js';
import { LanguageService } from '../../../src/i18n/translator.js';

describe('IntlCountryParser', () => {
  const parser = new IntlCountryParser();
  it.each([
    ['Ghana', 'GH'], ['ghana', 'GH'], ['غانا', 'GH'], ['Гана', 'GH'], ['Maroc', 'MA'], ['Marokko', 'MA'], ['Kosovo', 'XK'], ['Kosova', 'XK'],
    ['Srbija', 'RS'], ['Việt Nam', 'VN'], ['Pakistan', 'PK'], ['پاکستان', 'PK'], ['I am from Nigeria', 'NG'], ['je viens du Sénégal', 'SN'], ['tn', 'TN'],
  ])('%s -> %s', (text, code) => {
    expect(parser.parse(text)).toBe(code);
  });
  it('finds nothing in text without a country', () => {
    expect(parser.parse('no idea')).toBeUndefined();
    expect(parser.parse('xq')).toBeUndefined();
  });
});

describe('LanguageService.parseName', () => {
  const service = new LanguageService();
  it.each([
    ['Deutsch', 'de'], ['allemand', 'de'], ['German', 'de'], ['العربية', 'ar'], ['arabe', 'ar'], ['Español', 'es'], ['Shqip', 'sq'],
    ['Srpski', 'sr'], ['Tiếng Việt', 'vi'], ['tieng viet', 'vi'], ['اردو', 'ur'], ['Bahasa Indonesia', 'id'], ['fr', 'fr'],
  ])('%s -> %s', (name, language) => {
    expect(service.parseName(name)).toBe(language);
  });
});
