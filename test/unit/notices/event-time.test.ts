import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../src/core/knowledge.js';
import { canonicalTimeZone, formatEventTime, instantToZonedTime, zonedTimeToInstant } from '../../../src/notices/event-time.js';

const at = (date: string, time: string, zone: string) => {
  const result = zonedTimeToInstant(date, time, zone);
  if (!result.ok) throw new Error(`${date} ${time} ${zone}: ${result.problem}`);
  return result.at.toISOString();
};

describe('an event time in its time zone', () => {
  it('turns wall-clock times into instants, in and out of summer time, east and west, with half hours', () => {
    expect(at('2026-03-05', '14:00', 'Europe/Berlin')).toBe('2026-03-05T13:00:00.000Z');
    expect(at('2026-07-05', '14:00', 'Europe/Berlin')).toBe('2026-07-05T12:00:00.000Z');
    expect(at('2026-03-05', '14:00', 'Africa/Accra')).toBe('2026-03-05T14:00:00.000Z');
    expect(at('2026-03-05', '09:30', 'Asia/Kolkata')).toBe('2026-03-05T04:00:00.000Z');
    expect(at('2026-03-05', '09:00', 'America/Guayaquil')).toBe('2026-03-05T14:00:00.000Z');
    expect(at('2026-03-05', '23:30:15', 'Asia/Jakarta')).toBe('2026-03-05T16:30:15.000Z');
  });

  it('refuses a time the clocks skip, takes the first of a time they pass twice, and refuses dates that do not exist', () => {
    expect(zonedTimeToInstant('2026-03-29', '02:30', 'Europe/Berlin')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(at('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedTimeToInstant('2026-02-30', '10:00', 'UTC')).toEqual({ ok: false, problem: 'invalid' });
    expect(zonedTimeToInstant('2026-03-05', '24:00', 'UTC')).toEqual({ ok: false, problem: 'invalid' });
    expect(zonedTimeToInstant('5.3.2026', '10:00', 'UTC')).toEqual({ ok: false, problem: 'invalid' });
  });

  it('knows IANA zones by their canonical names, and nothing else', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(canonicalTimeZone('+01:00')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
    expect(instantToZonedTime(new Date('2026-03-05T13:00:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-05', time: '14:00' });
  });

  it('is written for each language in the event’s zone, with the zone named', () => {
    const start = new Date('2026-03-05T13:00:00Z');
    expect(formatEventTime(start, 'Europe/Berlin', 'en')).toBe('Thursday, March 5, 2026 at 2:00 PM Central European Standard Time');
    expect(formatEventTime(start, 'Europe/Berlin', 'de')).toBe('Donnerstag, 5. März 2026 um 14:00 Mitteleuropäische Normalzeit');
    expect(formatEventTime(start, 'Africa/Accra', 'fr')).toMatch(/^jeudi 5 mars 2026 à 13:00 heure moyenne de Greenwich$/);
    // Serbian in Latin script, as Lotse writes it.
    expect(formatEventTime(start, 'Europe/Belgrade', 'sr')).toMatch(/^četvrtak, 5\. mart 2026\.? 14:00 Srednjeevropsko/);
    for (const language of LANGUAGES) {
      const text = formatEventTime(start, 'Europe/Berlin', language);
      // Every language names the day, the year and the zone (never a bare offset for Berlin).
      expect(text, language).toMatch(/2026/);
      expect(text, language).not.toMatch(/GMT[+-]/);
    }
    // The same instant in another zone reads as another wall-clock time.
    expect(formatEventTime(start, 'Asia/Jakarta', 'id')).toMatch(/20[.:]00/);
  });
});
