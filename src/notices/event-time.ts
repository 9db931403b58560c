import type { Language } from '../core/knowledge.js';

/** The canonical name of an IANA time zone ("europe/berlin" -> "Europe/Berlin"), or undefined when the runtime does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (local minus UTC). */
function offsetAt(utcMs: number, zone: string): number {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partsFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((part) => [part.type, Number(part.value)]));
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

export type ZonedTime = { ok: true; at: Date } | { ok: false; problem: 'invalid' | 'nonexistent' };

/**
 * The instant a wall-clock date and time ("2026-03-05", "14:00") has in an IANA zone. A time the
 * clocks skip (a DST gap) is `nonexistent`; a time they pass twice is taken the first time.
 */
export function zonedTimeToInstant(date: string, time: string, zone: string): ZonedTime {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return { ok: false, problem: 'invalid' };
  const [year, month, day, hour, minute, second] = [d[1], d[2], d[3], t[1], t[2], t[3] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return { ok: false, problem: 'invalid' };
  // Within a day around it the zone has at most two offsets (before and after a change of the clocks).
  const offsets = [...new Set([offsetAt(local - 43_200_000, zone), offsetAt(local + 43_200_000, zone)])];
  const candidates = offsets.map((offset) => local - offset).filter((at) => local - offsetAt(at, zone) === at);
  if (candidates.length === 0) return { ok: false, problem: 'nonexistent' };
  return { ok: true, at: new Date(Math.min(...candidates)) };
}

/** The locale Intl formats a language's dates in (Serbian in Latin script, as Lotse writes it). */
const locale = (language: Language) => (language === 'sr' ? 'sr-Latn' : language);

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An event's date and time for a reader of `language`, in the event's own time zone with the zone
 * named: "Thursday, March 5, 2026 at 2:00 PM Central European Standard Time".
 */
export function formatEventTime(at: Date, zone: string, language: Language): string {
  const id = `${language}|${zone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale(language), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'long' });
    formats.set(id, format);
  }
  return format.format(at);
}

/** The wall-clock date and time of an instant in a zone ("2026-03-05", "14:00"), for forms. */
export function instantToZonedTime(at: Date, zone: string): { date: string; time: string } {
  const local = new Date(at.getTime() + offsetAt(at.getTime(), zone));
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
