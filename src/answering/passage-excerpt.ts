import { tokenize } from '../core/text/normalize-text.js';
import { contentTerms } from '../i18n/stopwords.js';

/** Splits a passage into units a reader can take alone: list items, table rows, sentences. */
function units(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    if (/^\s*([-*|]|\d+\.)/.test(line) || line.length < 200) return [line];
    return line.split(/(?<=[.!?؟۔])\s+/u);
  });
}

/**
 * The part of a passage that answers the question, short enough for a phone screen: the whole
 * passage when it fits, otherwise the units sharing most words with the question, in their order.
 * Tables stay whole, because a row without its header row means little.
 */
export function excerpt(question: string, text: string, maxChars = 700): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  const terms = new Set(contentTerms(tokenize(question)));
  const parts = units(trimmed);
  const scored = parts.map((part, index) => {
    const words = tokenize(part);
    const hits = words.filter((w) => terms.has(w) || [...terms].some((t) => t.length >= 5 && w.startsWith(t.slice(0, 5)))).length;
    // Earlier units get a small edge: documents state the rule first and the details after.
    return { index, part, score: hits + (part.startsWith('|') ? 0.5 : 0) + 1 / (index + 2) };
  });
  const chosen = new Set<number>();
  let length = 0;
  for (const { index, part } of [...scored].sort((a, b) => b.score - a.score)) {
    if (part.trim() === '' || length + part.length > maxChars) continue;
    chosen.add(index);
    length += part.length + 1;
  }
  // Keep a table whole when any row of it was chosen and it fits.
  return parts
    .filter((_, index) => chosen.has(index))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
