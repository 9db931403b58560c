import { LANGUAGES, RTL_LANGUAGES, type Language } from '../../core/knowledge.js';
import type { Messages } from '../../i18n/i18n.js';

/** The page's own words in one language (the `web` object of a locale): texts, and `examples`, a list. */
export type PageLabels = Record<string, string | string[]>;

/** What the page embeds: its words in every language (a missing word falls back to English there), and which languages are right to left. */
export interface PageLanguages {
  labels: Record<Language, PageLabels>;
  rtl: Language[];
}

/** The `web` objects of all ten locales. */
export function pageLanguages(messages: Messages): PageLanguages {
  const labels = Object.fromEntries(
    LANGUAGES.map((language) => {
      const words = messages.for(language)('web', { returnObjects: true }) as unknown;
      return [language, words && typeof words === 'object' ? (words as PageLabels) : {}];
    }),
  ) as Record<Language, PageLabels>;
  return { labels, rtl: [...RTL_LANGUAGES] };
}
