import { isLanguage, type Retriever } from '../core/knowledge.js';

/** A knowledge passage an advisor can put into a reply, with its source. */
export interface PassageHit {
  id: string;
  title: string;
  url: string;
  asOf: string;
  text: string;
  /** The reply text to insert: the passage, then where it comes from and as of when (answers stay sourced). */
  cited: string;
}

/**
 * The advisors' search box: the same retrieval the bot uses, over the same index, opened on first
 * use (a gateway that serves the console need not hold the index until an advisor searches).
 */
export class PassageSearch {
  private retriever?: Promise<Retriever>;

  constructor(private readonly open: () => Promise<Retriever>) {}

  async search(query: string, language = 'en', limit = 5): Promise<PassageHit[]> {
    const text = query.trim().slice(0, 500);
    if (text === '') return [];
    this.retriever ??= this.open().catch((error: unknown) => {
      this.retriever = undefined;
      throw error;
    });
    const result = await (await this.retriever).retrieve({ text, language: isLanguage(language) ? language : 'en', limit });
    return result.passages.map(({ chunk, meta }) => {
      const url = meta.sourceUrls[0] ?? '';
      const body = chunk.text.replace(/\s+/g, ' ').trim();
      return { id: chunk.id, title: meta.title, url, asOf: meta.asOf, text: body, cited: `${body}\n\n— ${meta.title}${url ? `, ${url}` : ''} (as of ${meta.asOf})` };
    });
  }
}
