import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Front matter for a test document; override any field. */
export function frontMatter(fields: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    id: 'test-doc',
    title: 'A test document',
    language: 'en',
    source_urls: '[https://example.org/source]',
    as_of: '2026-11-22',
    review_by: '2027-06-30',
    countries: '[all]',
    audience: 'all',
    topics: '[test]',
    ...fields,
  };
  return ['---', ...Object.entries(all).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`), '---', ''].join('\n');
}

/** A temporary knowledge folder holding the given files (relative path -> content). */
export async function knowledgeFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-knowledge-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}
