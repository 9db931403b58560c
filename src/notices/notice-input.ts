import { z } from 'zod';
import { LANGUAGES, type Language } from '../core/knowledge.js';
import { canonicalTimeZone, zonedTimeToInstant } from './event-time.js';
import { NOTICE_AUDIENCES, type NoticeAudience } from './notice-types.js';

/** What the console's form sends to announce a notice. Unknown fields are refused, as everywhere in the console. */
export const noticeInputSchema = z.strictObject({
  title: z.string().max(2000),
  titles: z.record(z.string(), z.string().max(2000)).optional(),
  date: z.string().max(40),
  time: z.string().max(40),
  timeZone: z.string().max(100),
  link: z.string().max(4000),
  countries: z.union([z.literal('all'), z.array(z.string().max(10)).max(300)]),
  languages: z.union([z.literal('all'), z.array(z.string().max(10)).max(20)]),
  audience: z.string().max(20),
});
export type NoticeInput = z.infer<typeof noticeInputSchema>;

/** A notice as staff announce it, checked. */
export interface ValidNotice {
  title: string;
  titles: Partial<Record<Language, string>>;
  startsAt: Date;
  timeZone: string;
  link: string;
  countries: 'all' | string[];
  languages: 'all' | Language[];
  audience: NoticeAudience;
}

export const TITLE_MAX = 200;
export const LINK_MAX = 500;
/** How far ahead a notice may be announced. */
const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;
const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** An ISO 3166-1 alpha-2 code the runtime knows (XK: Kosovo, as Lotse writes it); not ICU's "unknown region". */
const knownCountry = (code: string) => /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && REGIONS.of(code) !== undefined;

/** Problems by field, in words the form shows beside each field. */
export type FieldProblems = Partial<Record<keyof NoticeInput | `titles.${string}`, string>>;

function checkTitle(text: string): string | undefined {
  const title = text.trim();
  if (title === '') return 'Give the event a title.';
  if (Array.from(title).length > TITLE_MAX) return `At most ${TITLE_MAX} characters.`;
  if (CONTROL.test(title)) return 'Only one line of text, please.';
  return undefined;
}

/**
 * Checks every field and says what is wrong with each, or gives the notice: a title (and,
 * optionally, titles in other languages), a date and time that exist in an IANA time zone and lie
 * in the future, an https link, countries (ISO codes, or all), languages (some, or all) and the audience.
 */
export function validateNotice(input: NoticeInput, now: Date): { ok: true; notice: ValidNotice } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const titleProblem = checkTitle(input.title);
  if (titleProblem) problems.title = titleProblem;
  const titles: Partial<Record<Language, string>> = {};
  for (const [language, text] of Object.entries(input.titles ?? {})) {
    if (text.trim() === '') continue;
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      problems[`titles.${language}`] = `Not one of Lotse's languages (${LANGUAGES.join(', ')}).`;
      continue;
    }
    const problem = checkTitle(text);
    if (problem) problems[`titles.${language}`] = problem;
    else titles[language as Language] = text.trim();
  }

  const timeZone = canonicalTimeZone(input.timeZone.trim());
  if (!timeZone) problems.timeZone = 'Choose a time zone such as Europe/Berlin or Africa/Accra (an IANA time zone).';
  let startsAt: Date | undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date.trim())) problems.date = 'Give the date as YYYY-MM-DD.';
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(input.time.trim())) problems.time = 'Give the time as HH:MM (24 hours).';
  if (timeZone && !problems.date && !problems.time) {
    const zoned = zonedTimeToInstant(input.date.trim(), input.time.trim(), timeZone);
    if (!zoned.ok && zoned.problem === 'invalid') problems.date = 'There is no such date or time.';
    else if (!zoned.ok) problems.time = `This time does not exist in ${timeZone} on that day (the clocks change); choose another.`;
    else if (zoned.at.getTime() <= now.getTime()) problems.time = 'This time has passed; an event must lie in the future.';
    else if (zoned.at.getTime() - now.getTime() > MAX_AHEAD_MS) problems.date = 'At most two years ahead.';
    else startsAt = zoned.at;
  }

  const linkText = input.link.trim();
  let link: string | undefined;
  try {
    const url = new URL(linkText);
    if (url.protocol !== 'https:') problems.link = 'The link must start with https://.';
    else if (url.username || url.password) problems.link = 'The link must not contain a user name or password.';
    else if (!url.hostname.includes('.')) problems.link = 'Give the full address, such as https://www.example.org/event.';
    else if (url.href.length > LINK_MAX) problems.link = `At most ${LINK_MAX} characters.`;
    else link = url.href;
  } catch {
    problems.link = linkText === '' ? 'Give the link to the event (https://…).' : 'Not a web address; give one such as https://www.example.org/event.';
  }

  let countries: 'all' | string[] = 'all';
  if (input.countries !== 'all') {
    const codes = [...new Set(input.countries.map((code) => code.trim().toUpperCase()).filter(Boolean))];
    const unknown = codes.filter((code) => !knownCountry(code));
    if (codes.length === 0) problems.countries = 'Choose all countries, or give at least one country code.';
    else if (unknown.length > 0) problems.countries = `Not a country code: ${unknown.slice(0, 5).join(', ')}. Use two-letter ISO codes such as GH, NG, XK.`;
    else countries = codes.sort();
  }

  let languages: 'all' | Language[] = 'all';
  if (input.languages !== 'all') {
    const chosen = [...new Set(input.languages)];
    const unknown = chosen.filter((language) => !(LANGUAGES as readonly string[]).includes(language));
    if (chosen.length === 0) problems.languages = 'Choose all languages, or at least one.';
    else if (unknown.length > 0) problems.languages = `Not one of Lotse's languages: ${unknown.slice(0, 5).join(', ')}.`;
    else languages = LANGUAGES.filter((language) => chosen.includes(language));
  }

  const audience = (NOTICE_AUDIENCES as readonly string[]).includes(input.audience) ? (input.audience as NoticeAudience) : undefined;
  if (!audience) problems.audience = 'Choose prospective migrants, returnees, or both.';

  if (Object.keys(problems).length > 0 || !startsAt || !timeZone || !link || !audience) return { ok: false, problems };
  return { ok: true, notice: { title: input.title.trim(), titles, startsAt, timeZone, link, countries, languages, audience } };
}
