/** Days as statistics count them: UTC calendar days written YYYY-MM-DD. */
export type Day = string;

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of a moment. */
export const dayOf = (at: Date | number): Day => new Date(at).toISOString().slice(0, 10);

/** Whether the text is a real calendar day in YYYY-MM-DD (not 2026-02-30). */
export function isDay(text: string): boolean {
  if (!ISO_DAY.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(at) && dayOf(at) === text;
}

/** The day `n` days after (negative: before) `day`. */
export const addDays = (day: Day, n: number): Day => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** Milliseconds since the epoch at the end of a day (the next day's midnight, UTC). */
export const endOfDay = (day: Day): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS;

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: Day, to: Day): Day[] {
  const days: Day[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** How many days `from` to `to` spans, both included. */
export const spanDays = (from: Day, to: Day): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
