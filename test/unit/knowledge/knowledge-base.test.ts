import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/retrieval/knowledge-loader.js';

/** What the knowledge base promises its readers, checked on the files themselves. */
describe('the knowledge base', async () => {
  const { documents, problems } = await loadKnowledge('knowledge');
  const byId = new Map(documents.map((d) => [d.meta.id, d]));

  it('has no broken file', () => {
    expect(problems).toEqual([]);
  });

  it('cites an exact page first, not a site\'s home page (the database anabin is its own page)', () => {
    const home = documents.filter((d) => /^https?:\/\/[^/]+\/?$/.test(d.meta.sourceUrls[0] ?? '') && !d.meta.sourceUrls[0]!.includes('anabin.kmk.org'));
    expect(home.map((d) => d.meta.file)).toEqual([]);
  });

  it('reviews yearly figures by the end of their year, and names the year next to them', () => {
    const yearly = documents.filter((d) => ['eu-blue-card', 'eu-blue-card-salary-thresholds', 'skilled-workers-age-45', 'experience-based-route', 'working-in-germany'].includes(d.meta.baseId));
    expect(yearly.length).toBeGreaterThanOrEqual(5);
    for (const d of yearly) expect(d.meta.reviewBy <= '2026-12-31', d.meta.file).toBe(true);
    const english = byId.get('eu-blue-card-salary-thresholds')!;
    for (const line of english.body.split('\n').filter((l) => /€\s?\d{2},\d{3}/.test(l))) expect(line, line).toMatch(/\b20\d\d\b/);
  });

  it('does not repeat figures known to be wrong, not even as warnings', () => {
    for (const d of documents) expect(d.body, d.meta.file).not.toMatch(/46[.,]500|56[.,]400/);
    // The old Blue Card settlement rule (33 months) is out of date.
    for (const d of documents.filter((doc) => doc.meta.baseId.startsWith('eu-blue-card'))) expect(d.body, d.meta.file).not.toMatch(/\b33\b/);
  });

  it('has the programmes and the everyday topics in French, Arabic and Spanish at least', () => {
    const topics = ['pam-programme', 'centres-for-migration-and-development', 'triple-win', 'skills-partnerships', 'visa-application', 'working-in-germany', 'routes-to-work', 'family-reunification', 'recognition-basics', 'language-certificates', 'return-travel'];
    for (const topic of topics) for (const language of ['en', 'fr', 'ar', 'es']) expect(byId.has(language === 'en' ? topic : `${topic}-${language}`), `${topic} in ${language}`).toBe(true);
  });

  it('translates only documents that exist in English', () => {
    for (const d of documents) expect(byId.has(d.meta.baseId), d.meta.file).toBe(true);
  });
});
