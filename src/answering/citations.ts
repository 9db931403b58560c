import type { SourceRef } from '../core/answer.js';
import type { Passage } from '../core/knowledge.js';

/** One citation per document, in the order the passages were used. */
export function citationsOf(passages: Passage[]): SourceRef[] {
  const seen = new Set<string>();
  const sources: SourceRef[] = [];
  for (const { meta } of passages) {
    if (seen.has(meta.id)) continue;
    seen.add(meta.id);
    sources.push({ id: meta.id, title: meta.title, url: meta.sourceUrls[0] ?? '', asOf: meta.asOf });
  }
  return sources;
}
