import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { KnowledgeProblem } from './knowledge-loader.js';

export interface YamlEntriesSpec<T> {
  /** The entries in the parsed file, or undefined when the file has another shape. */
  list: (data: unknown) => unknown[] | undefined;
  /** What the file must be, for the problem reported when it is not ("a YAML list of centres"). */
  shape: string;
  schema: z.ZodType<T>;
  /** How a bad entry is named in its problem. */
  label: (entry: unknown, index: number) => string;
}

/**
 * Reads an optional YAML file of the knowledge folder made of entries: none when the file is
 * missing; a file that is not YAML or has another shape is one problem; a bad entry is reported (in
 * words its author can act on) and skipped, and the others still load.
 */
export async function readYamlEntries<T>(knowledgeDir: string, file: string, spec: YamlEntriesSpec<T>): Promise<{ entries: T[]; problems: KnowledgeProblem[] }> {
  let source: string;
  try {
    source = await readFile(path.join(knowledgeDir, file), 'utf8');
  } catch {
    return { entries: [], problems: [] };
  }
  let data: unknown;
  try {
    data = parse(source);
  } catch (error) {
    return { entries: [], problems: [{ file, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const list = spec.list(data);
  if (!list) return { entries: [], problems: [{ file, message: `must be ${spec.shape}` }] };
  const entries: T[] = [];
  const problems: KnowledgeProblem[] = [];
  list.forEach((entry, index) => {
    const result = spec.schema.safeParse(entry);
    if (result.success) entries.push(result.data);
    else problems.push({ file, message: `${spec.label(entry, index)}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
  });
  return { entries, problems };
}
