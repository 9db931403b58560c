import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { DocumentMeta, KnowledgeDocument } from '../core/knowledge.js';
import { loadCentreDirectory } from './centre-directory.js';
import { frontMatterSchema } from './front-matter-schema.js';

/** A file that could not be used, and why, in words its author can act on. */
export interface KnowledgeProblem {
  file: string;
  message: string;
}

export interface LoadedKnowledge {
  documents: KnowledgeDocument[];
  problems: KnowledgeProblem[];
}

async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'README.md')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Parses one Markdown file; throws a message naming what is wrong. */
export function parseDocument(source: string, file: string): KnowledgeDocument {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object would make gray-matter cache by content; pass none.
    parsed = matter(source);
  } catch (error) {
    throw new Error(`the front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (Object.keys(parsed.data).length === 0) throw new Error('no front matter: the file must start with a --- block (see knowledge/README.md)');
  const result = frontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    throw new Error(result.error.issues.map((issue) => `${issue.path.join('.') || 'front matter'} ${issue.message}`).join('; '));
  }
  const fm = result.data;
  if (parsed.content.trim().length < 20) throw new Error('the document has no text below its front matter');
  const meta: DocumentMeta = {
    id: fm.id,
    baseId: fm.translation_of ?? fm.id,
    title: fm.title,
    language: fm.language,
    sourceUrls: fm.source_urls,
    legalBasis: fm.legal_basis,
    asOf: fm.as_of,
    reviewBy: fm.review_by,
    countries: fm.countries,
    audience: fm.audience,
    topics: fm.topics,
    file,
  };
  // Only when given: an absent key keeps the hash, and so the index, of untagged documents unchanged.
  if (fm.eligibility) meta.eligibility = fm.eligibility;
  return { meta, body: parsed.content };
}

/**
 * Loads every document under the knowledge folder. A broken file is reported with its name and
 * what is wrong, and the others still load; so is a second file that claims an id already taken.
 */
export async function loadKnowledge(knowledgeDir: string): Promise<LoadedKnowledge> {
  const documents: KnowledgeDocument[] = [];
  const problems: KnowledgeProblem[] = [];
  const seen = new Map<string, string>();
  const accept = (document: KnowledgeDocument) => {
    const previous = seen.get(document.meta.id);
    if (previous) {
      problems.push({ file: document.meta.file, message: `id "${document.meta.id}" is already used by ${previous}` });
      return;
    }
    seen.set(document.meta.id, document.meta.file);
    documents.push(document);
  };

  for (const absolute of await listMarkdown(knowledgeDir)) {
    const file = path.relative(knowledgeDir, absolute);
    try {
      accept(parseDocument(await readFile(absolute, 'utf8'), file));
    } catch (error) {
      problems.push({ file, message: (error as Error).message });
    }
  }
  const directory = await loadCentreDirectory(knowledgeDir);
  problems.push(...directory.problems);
  directory.documents.forEach(accept);

  const baseIds = new Set(documents.filter((d) => d.meta.language === 'en').map((d) => d.meta.id));
  for (const document of documents) {
    if (document.meta.baseId !== document.meta.id && !baseIds.has(document.meta.baseId)) {
      problems.push({ file: document.meta.file, message: `translation_of "${document.meta.baseId}" names no English document (it is still indexed)` });
    }
  }
  return { documents, problems };
}
