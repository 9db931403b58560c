/** What stands in a redacted question where a name was. */
export const NAME = '[name]';

/** "Amina", "Öztürk", "Јован": not "I" and not an acronym ("BAMF", "EU"). */
export const isCapitalised = (word: string) => /^\p{Lu}[\p{Ll}\p{M}]/u.test(word);

/** What a name is not, in the question's language (made once per language by the redactor). */
export interface Words {
  isFunctionWord(word: string): boolean;
  /** A function word, a country, a language, a month or a day. */
  isKept(word: string): boolean;
  /** Kept, or a greeting ("Hallo", "Salam"). */
  isNoName(word: string): boolean;
}

/** The text with each span (start, end; not overlapping) replaced by NAME. */
export function replaceSpans(text: string, spans: [number, number][]): string {
  let out = text;
  for (const [start, end] of [...spans].sort((a, b) => b[0] - a[0])) out = `${out.slice(0, start)}${NAME}${out.slice(end)}`;
  return out;
}
