import type { DocumentMeta } from '../core/knowledge.js';

/** The groups a document is only for; empty when it is for everyone its audience names. */
export function eligibilityOf(meta: DocumentMeta): readonly string[] {
  return meta.eligibility ?? [];
}

/** True when a document is only for groups that the question does not mention. */
export function isForOtherGroups(meta: DocumentMeta, mentioned: ReadonlySet<string>): boolean {
  const groups = eligibilityOf(meta);
  return groups.length > 0 && !groups.some((group) => mentioned.has(group));
}
