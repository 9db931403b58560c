import { describe, expect, it } from 'vitest';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { noticeReaches } from '../../../src/notices/notice-audience.js';
import { noticeMessage, noticeText, templateParameters } from '../../../src/notices/notice-content.js';
import type { EventNotice } from '../../../src/notices/notice-types.js';

const translator = new I18nTranslator(Messages.create());
const notice: EventNotice = {
  id: 'a1b2c3d4e5f6',
  title: 'C++ *basics* [online]',
  titles: { ar: 'معرض التوظيف الافتراضي' },
  startsAt: '2026-03-05T13:00:00.000Z',
  timeZone: 'Europe/Berlin',
  link: 'https://www.example.org/fair?a=1&b=2',
  countries: ['GH', 'NG'],
  languages: 'all',
  audience: 'prospective',
  createdBy: 'staff1',
  createdAt: '2026-03-01T10:00:00.000Z',
  status: 'scheduled',
};

describe('a notice as users read it', () => {
  it('in the reader’s language: the title as written (Markdown escaped), when in the event’s zone, the link, how to stop', () => {
    expect(noticeText(notice, 'announce', 'en', translator)).toBe(
      [
        'New event: **C++ \\*basics\\* \\[online\\]**',
        'When: Thursday, March 5, 2026 at 2:00 PM Central European Standard Time',
        'Details and registration: <https://www.example.org/fair?a=1&b=2>',
        '',
        'You get this because you asked for notices of job fairs and trainings. Write "stop notices" to stop them.',
      ].join('\n'),
    );
    expect(noticeText(notice, 'reminder', 'de', translator)).toMatch(/^Erinnerung: \*\*C\+\+ \\\*basics\\\* \\\[online\\\]\*\* beginnt bald\.\nWann: Donnerstag, 5\. März 2026 um 14:00 Mitteleuropäische Normalzeit/);
    const arabic = noticeMessage(notice, 'announce', { conversationKey: 'whatsapp:4917600000001', channel: 'whatsapp', userId: '4917600000001', language: 'ar' }, translator);
    expect(arabic).toMatchObject({ id: 'notice:a1b2c3d4e5f6:whatsapp:4917600000001:announce', direction: 'rtl', language: 'ar' });
    expect(arabic.text).toContain('فعالية جديدة: **معرض التوظيف الافتراضي**');
  });

  it('the template’s parameters: one line each, as Meta requires', () => {
    expect(templateParameters({ ...notice, title: 'Job fair\n\tday     one' }, 'fr')).toEqual(['Job fair day   one', 'jeudi 5 mars 2026 à 14:00 heure normale d’Europe centrale', 'https://www.example.org/fair?a=1&b=2']);
  });

  it('reaches a subscriber of its languages, countries and audience; one whose country or audience is unknown only when it is for all', () => {
    const ghana = { language: 'en' as const, country: 'GH', audience: 'prospective' as const };
    expect(noticeReaches(notice, ghana)).toBe(true);
    expect(noticeReaches(notice, { ...ghana, country: 'SN' })).toBe(false);
    expect(noticeReaches(notice, { ...ghana, country: undefined })).toBe(false);
    expect(noticeReaches({ ...notice, countries: 'all' }, { ...ghana, country: undefined })).toBe(true);
    expect(noticeReaches(notice, { ...ghana, audience: 'returnee' })).toBe(false);
    expect(noticeReaches(notice, { ...ghana, audience: undefined })).toBe(false);
    expect(noticeReaches({ ...notice, audience: 'both' }, { ...ghana, audience: undefined })).toBe(true);
    expect(noticeReaches({ ...notice, languages: ['fr', 'ar'] }, ghana)).toBe(false);
  });
});
