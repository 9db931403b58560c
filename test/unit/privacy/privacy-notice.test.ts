import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WHATSAPP_INTERACTIVE_BODY_LIMIT } from '../../../src/channels/whatsapp/render.js';
import { LANGUAGES } from '../../../src/core/knowledge.js';

interface Locale {
  greeting: string;
  consent: { notice: string; prompt: string; required: string };
}
const locale = (language: string) => JSON.parse(readFileSync(`src/i18n/locales/${language}.json`, 'utf8')) as Locale;
const codePoints = (text: string) => Array.from(text).length;

describe('the privacy notice', () => {
  it('says in every language, in the same eight lines, how long things are kept (the retention period twice)', () => {
    for (const language of LANGUAGES) {
      const text = locale(language).consent.notice;
      expect(text.match(/\{\{days\}\}/g), language).toHaveLength(2);
      expect(text.split('\n'), language).toHaveLength(8);
      expect(text.split('\n').slice(1).every((line) => line.startsWith('• ')), language).toBe(true);
    }
  });

  it("fits, with its introduction and question, in one WhatsApp message with buttons (even with a three-digit retention period): one message on a phone", () => {
    for (const language of LANGUAGES) {
      const { greeting, consent } = locale(language);
      for (const intro of [greeting, consent.required]) {
        const reply = [intro, consent.notice.replaceAll('{{days}}', '365'), consent.prompt].join('\n\n');
        expect(codePoints(reply), language).toBeLessThanOrEqual(WHATSAPP_INTERACTIVE_BODY_LIMIT);
      }
    }
  });

  it('names what the code keeps: messages and profile, the advisors\' cases, files and web chat replies for a day, statistics, event notices for a year, and "delete"', () => {
    const text = locale('en').consent.notice;
    for (const part of ['your messages', 'your country and plans', '{{days}} days after your last message', 'advisors', 'their replies are kept as long', 'Photos, files', "web chat's replies", 'one day at most', 'Questions I cannot answer: {{days}} days', 'statistics', 'Event notices', 'one year at most', '"delete"']) {
      expect(text).toContain(part);
    }
  });
});
