import type { Chunk, KnowledgeDocument } from '../core/knowledge.js';

export interface ChunkerOptions {
  /** Longest chunk in characters before a section is split at paragraphs (default 1200). */
  maxChars?: number;
}

/** Bumped whenever chunking changes, so that the index knows to rebuild. */
export const CHUNKER_VERSION = 'md-sections-v1';

interface Section {
  headings: string[];
  lines: string[];
}

/** Splits a long text at paragraph, then line, then sentence boundaries into pieces of at most maxChars. */
function splitLong(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  for (const separator of ['\n\n', '\n', '. ']) {
    const parts = text.split(separator);
    if (parts.length < 2) continue;
    const pieces: string[] = [];
    let current = '';
    for (const part of parts) {
      const candidate = current === '' ? part : `${current}${separator}${part}`;
      if (candidate.length > maxChars && current !== '') {
        pieces.push(current);
        current = part;
      } else {
        current = candidate;
      }
    }
    if (current !== '') pieces.push(current);
    return pieces.flatMap((piece) => splitLong(piece.trim(), maxChars)).filter(Boolean);
  }
  // One unbroken run of text: cut hard.
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += maxChars) pieces.push(text.slice(i, i + maxChars));
  return pieces;
}

/**
 * Chunks a document along its Markdown structure: one chunk per section, carrying the path of
 * headings above it; long sections are split at paragraphs. Tables and lists stay whole where they fit.
 */
export function chunkDocument(document: KnowledgeDocument, options: ChunkerOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? 1200;
  const sections: Section[] = [];
  let path: string[] = [];
  let current: Section = { headings: [], lines: [] };
  let inFence = false;
  for (const line of document.body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      sections.push(current);
      const level = heading[1]!.length;
      path = [...path.slice(0, Math.max(0, level - 2)), heading[2]!];
      // A top-level "# Title" restarts the path; "##" sections are the usual unit.
      if (level === 1) path = [heading[2]!];
      current = { headings: path, lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  sections.push(current);

  const chunks: Chunk[] = [];
  for (const section of sections) {
    const text = section.lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text === '') continue;
    for (const piece of splitLong(text, maxChars)) {
      chunks.push({ id: `${document.meta.id}#${chunks.length}`, docId: document.meta.id, headings: section.headings, text: piece });
    }
  }
  return chunks;
}

/** The text that is embedded and indexed for a chunk: the document title and headings give it context. */
export function contextualText(chunk: Chunk, title: string): string {
  return [title, ...chunk.headings, chunk.text].join('\n');
}
