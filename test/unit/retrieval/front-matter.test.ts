import { describe, expect, inject, it } from 'vitest';
import { parseDocument, loadKnowledge } from '../../../src/retrieval/knowledge-loader.js';
import { frontMatter, knowledgeFolder } from '../../helpers/knowledge-fixture.js';

const body = '\n## Section\nEnough text to count as a document body.\n';

describe('front matter validation', () => {
  it('accepts a complete document and maps it to metadata', () => {
    const doc = parseDocument(frontMatter({ legal_basis: '"§20b AufenthG"', countries: '[GH, NG]', audience: 'prospective' }) + body, 'en/test-doc.md');
    expect(doc.meta).toMatchObject({ id: 'test-doc', baseId: 'test-doc', language: 'en', asOf: '2026-11-22', countries: ['GH', 'NG'], legalBasis: '§20b AufenthG' });
  });

  it.each([
    [{ id: 'Not Kebab' }, 'id must be kebab-case'],
    [{ language: 'xx' }, 'language must be one of'],
    [{ as_of: '22.11.2026' }, 'as_of must be a date written YYYY-MM-DD'],
    [{ review_by: '2020-01-01' }, 'review_by must not be before as_of'],
    [{ source_urls: '[not-a-url]' }, 'source_urls'],
    [{ audience: 'everyone' }, 'audience must be one of'],
    [{ countries: '[Ghana]' }, 'use ISO country codes'],
    [{ language: 'de' }, 'translation_of'],
    [{ title: '' }, 'title'],
  ])('rejects %o with a message naming the field', (fields, message) => {
    expect(() => parseDocument(frontMatter(fields) + body, 'x.md')).toThrow(message);
  });

  it('rejects a file without front matter, with broken YAML, or without text', () => {
    expect(() => parseDocument('# Just text\nno front matter here', 'x.md')).toThrow('no front matter');
    expect(() => parseDocument('---\nid: [unclosed\n---\ntext text text text text', 'x.md')).toThrow('not valid YAML');
    expect(() => parseDocument(frontMatter(), 'x.md')).toThrow('no text');
  });

  it('reports a broken file by name and still loads the others', async () => {
    const dir = await knowledgeFolder({
      'en/a-good.md': frontMatter({ id: 'good' }) + body,
      'en/bad.md': frontMatter({ id: 'bad', as_of: 'yesterday' }) + body,
      'en/z-dupe.md': frontMatter({ id: 'good' }) + body,
      'de/orphan.md': frontMatter({ id: 'orphan-de', language: 'de', translation_of: 'missing' }) + body,
    });
    const { documents, problems } = await loadKnowledge(dir);
    expect(documents.map((d) => d.meta.id).sort()).toEqual(['good', 'orphan-de']);
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'en/bad.md', message: expect.stringContaining('as_of must be a date') },
        { file: 'en/z-dupe.md', message: expect.stringContaining('already used by en/a-good.md') },
        { file: 'de/orphan.md', message: expect.stringContaining('names no English document') },
      ]),
    );
  });

  it('the shipped knowledge base has no problems, at least 40 English documents and all ten languages', async () => {
    expect(JSON.parse(inject('knowledgeProblems'))).toEqual([]);
    const { documents } = await loadKnowledge('knowledge');
    const english = documents.filter((d) => d.meta.language === 'en' && !d.meta.id.startsWith('centre-'));
    expect(english.length).toBeGreaterThanOrEqual(40);
    expect(new Set(documents.map((d) => d.meta.language))).toEqual(new Set(['en', 'de', 'fr', 'ar', 'es', 'sq', 'sr', 'vi', 'ur', 'id']));
    expect(documents.filter((d) => d.meta.id.startsWith('centre-')).length).toBe(14);
  });
});
