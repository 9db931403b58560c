import { describe, expect, it } from 'vitest';
import { validateNotice, type NoticeInput } from '../../../src/notices/notice-input.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const valid: NoticeInput = { title: 'Virtual job fair: nursing in Germany', date: '2026-03-05', time: '14:00', timeZone: 'Europe/Berlin', link: 'https://www.example.org/fair', countries: 'all', languages: 'all', audience: 'both' };
const check = (change: Partial<NoticeInput>) => validateNotice({ ...valid, ...change }, NOW);

describe('what staff announce, checked field by field', () => {
  it('takes a complete notice, with the time in its zone and the codes tidied', () => {
    const result = check({ titles: { de: ' Virtuelle Jobmesse ', fr: '' }, countries: ['gh', 'NG', 'xk', 'GH'], languages: ['fr', 'en'], audience: 'returnee', timeZone: 'europe/berlin' });
    expect(result).toEqual({
      ok: true,
      notice: { title: 'Virtual job fair: nursing in Germany', titles: { de: 'Virtuelle Jobmesse' }, startsAt: new Date('2026-03-05T13:00:00Z'), timeZone: 'Europe/Berlin', link: 'https://www.example.org/fair', countries: ['GH', 'NG', 'XK'], languages: ['en', 'fr'], audience: 'returnee' },
    });
  });

  it('says what is wrong with each field, all at once', () => {
    const result = validateNotice({ title: '  ', titles: { xx: 'Titre', de: 'a\nb' }, date: '5.3.2026', time: '2pm', timeZone: 'Mars/Base', link: 'http://example.org', countries: ['GH', 'QQ'], languages: ['en', 'tlh'], audience: 'everyone' }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual({
      title: 'Give the event a title.',
      'titles.xx': expect.stringContaining("Not one of Lotse's languages"),
      'titles.de': 'Only one line of text, please.',
      timeZone: expect.stringContaining('IANA time zone'),
      date: 'Give the date as YYYY-MM-DD.',
      time: 'Give the time as HH:MM (24 hours).',
      link: 'The link must start with https://.',
      countries: 'Not a country code: QQ. Use two-letter ISO codes such as GH, NG, XK.',
      languages: "Not one of Lotse's languages: tlh.",
      audience: 'Choose prospective migrants, returnees, or both.',
    });
  });

  it('refuses a time that has passed, one the clocks skip, one too far ahead, and links that are not full https addresses', () => {
    expect(check({ date: '2026-03-01', time: '10:30', timeZone: 'Europe/Berlin' })).toMatchObject({ ok: false, problems: { time: expect.stringContaining('has passed') } });
    expect(check({ date: '2026-03-29', time: '02:30' })).toMatchObject({ ok: false, problems: { time: expect.stringContaining('does not exist in Europe/Berlin') } });
    expect(check({ date: '2030-01-01' })).toMatchObject({ ok: false, problems: { date: 'At most two years ahead.' } });
    expect(check({ link: 'https://user:secret@example.org/x' })).toMatchObject({ ok: false, problems: { link: expect.stringContaining('user name or password') } });
    expect(check({ link: 'https://localhost/x' })).toMatchObject({ ok: false, problems: { link: expect.stringContaining('full address') } });
    expect(check({ link: 'javascript:alert(1)' })).toMatchObject({ ok: false, problems: { link: expect.stringContaining('https://') } });
    expect(check({ link: '' })).toMatchObject({ ok: false, problems: { link: expect.stringContaining('Give the link') } });
    expect(check({ title: 'x'.repeat(201) })).toMatchObject({ ok: false, problems: { title: 'At most 200 characters.' } });
    expect(check({ countries: [] })).toMatchObject({ ok: false, problems: { countries: expect.stringContaining('at least one') } });
    expect(check({ languages: [] })).toMatchObject({ ok: false, problems: { languages: expect.stringContaining('at least one') } });
  });
});
