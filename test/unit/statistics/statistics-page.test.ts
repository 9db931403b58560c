import { describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../src/core/knowledge.js';
import { parseDayCounts } from '../../../src/statistics/statistics-fields.js';
import { minutesText, statisticsPage } from '../../../src/statistics/statistics-page.js';
import { buildReport } from '../../../src/statistics/statistics-report.js';

describe('the statistics page', () => {
  it('writes waits as a person reads them', () => {
    expect(minutesText(null)).toBe('–');
    expect(minutesText(4.25)).toBe('4.3 min');
    expect(minutesText(59.96)).toBe('1 h');
    expect(minutesText(125)).toBe('2 h 5 min');
    expect(minutesText(1439.6)).toBe('1 d');
    expect(minutesText(4320, true)).toBe('more than 3 d');
    expect(minutesText(3000)).toBe('2 d 2 h');
  });

  it('escapes everything it shows, and carries no inline script or style', () => {
    const documents = [{ id: 'doc"><x', baseId: 'doc"><x', title: '<img src=x onerror=alert(1)> "quoted"', language: 'en' }] as DocumentMeta[];
    const report = buildReport({
      from: '2026-03-01',
      to: '2026-03-02',
      days: [
        { day: '2026-03-01', counts: parseDayCounts({ active: '3', 'source:doc"><x': '2', 'topic:<b>': '1' }) },
        { day: '2026-03-02', counts: parseDayCounts({}) },
      ],
      documents,
      unanswered: {
        total: 1,
        grouped: 1,
        groups: [{ id: 'abcdef0123456789', questionIds: ['abcdef0123456789'], count: 1, conversations: 1, languages: [{ language: 'ar', count: 1 }], example: '<script>alert(1)</script>', more: [], firstAt: '2026-03-01T10:00:00Z', lastAt: '2026-03-01T10:00:00Z' }],
      },
    });
    const html = statisticsPage(report, documents, { csrf: 'token"<', period: undefined });
    expect(html).not.toMatch(/<script>|<img|<b>|style=|<style/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-csrf="token&quot;&lt;"');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;');
    expect(html).toContain('<script src="/advisor/statistics.js" defer></script>');
    // Each chart: an image with a title and a description, and its numbers as a table.
    expect(html.match(/<svg [^>]*role="img" aria-labelledby="chart-[a-z]+-title chart-[a-z]+-desc"/g)).toHaveLength(4);
    expect(html).toContain('<desc id="chart-conversations-desc">2026-03-01 to 2026-03-02. Active: 3 in all, most on 2026-03-01 (3); Started: none.</desc>');
    expect(html).toContain('<title>2026-03-01 · Active: 3</title>');
    expect(html.match(/<summary>The numbers as a table<\/summary>/g)).toHaveLength(4);
    expect(html).toContain('value="2026-03-01"');
  });
});
