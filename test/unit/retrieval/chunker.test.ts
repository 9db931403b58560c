import { describe, expect, it } from 'vitest';
import { chunkDocument, contextualText } from '../../../src/retrieval/chunker.js';
import type { KnowledgeDocument } from '../../../src/core/knowledge.js';

const doc = (body: string): KnowledgeDocument => ({
  meta: { id: 'doc', baseId: 'doc', title: 'Doc title', language: 'en', sourceUrls: ['https://x.org'], asOf: '2026-01-01', reviewBy: '2027-01-01', countries: ['all'], audience: 'all', topics: [], file: 'en/doc.md' },
  body,
});

describe('chunkDocument', () => {
  it('makes one chunk per section, carrying the heading path', () => {
    const chunks = chunkDocument(doc('Intro text here.\n\n## First\nAlpha text.\n\n### Detail\nBeta text.\n\n## Second\nGamma text.'));
    expect(chunks.map((c) => [c.headings, c.text])).toEqual([
      [[], 'Intro text here.'],
      [['First'], 'Alpha text.'],
      [['First', 'Detail'], 'Beta text.'],
      [['Second'], 'Gamma text.'],
    ]);
    expect(chunks.map((c) => c.id)).toEqual(['doc#0', 'doc#1', 'doc#2', 'doc#3']);
  });

  it('skips empty sections and ignores # inside code fences', () => {
    const chunks = chunkDocument(doc('## Empty\n\n## Code\n```\n# not a heading\n```\n'));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headings).toEqual(['Code']);
    expect(chunks[0]!.text).toContain('# not a heading');
  });

  it('splits a long section at paragraphs, never above the limit', () => {
    const paragraph = 'word '.repeat(60).trim();
    const chunks = chunkDocument(doc(`## Long\n${Array.from({ length: 10 }, () => paragraph).join('\n\n')}`), { maxChars: 700 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(700);
      expect(chunk.headings).toEqual(['Long']);
    }
    expect(chunks.map((c) => c.text).join(' ').split(/\s+/).length).toBe(600);
  });

  it('keeps a table whole when it fits', () => {
    const table = '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |';
    const [chunk] = chunkDocument(doc(`## Points\n${table}`));
    expect(chunk!.text).toBe(table);
  });

  it('gives the embedded text its title and headings for context', () => {
    const [chunk] = chunkDocument(doc('## Points\nSix points.'));
    expect(contextualText(chunk!, 'Doc title')).toBe('Doc title\nPoints\nSix points.');
  });
});
