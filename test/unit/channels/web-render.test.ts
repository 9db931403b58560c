import { describe, expect, it } from 'vitest';
import { renderReplyHtml, withoutListedSources } from '../../../src/channels/web/render.js';
import type { SourceRef } from '../../../src/core/answer.js';

const SOURCES: SourceRef[] = [
  { id: 'opportunity-card', title: 'Opportunity Card', url: 'https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card', asOf: '2026-11-22' },
  { id: 'recognition', title: 'Recognition in Germany', url: 'https://www.anerkennung-in-deutschland.de/', asOf: '2026-10-01' },
];

describe('renderReplyHtml (the web chat reply renderer)', () => {
  it('renders the Markdown subset: paragraphs, lists, bold, emphasis, links', () => {
    const html = renderReplyHtml('You need **6 points**, *at least*.\n\n- German A1\n- English B2\n\n1. Apply\n2. Wait\n\nSee [the portal](https://www.make-it-in-germany.com/).', 'ltr');
    expect(html).toContain('<strong>6 points</strong>');
    expect(html).toContain('<em>at least</em>');
    expect(html).toContain('<ul>\n<li>German A1</li>');
    expect(html).toContain('<ol>\n<li>Apply</li>');
    expect(html).toContain('<a href="https://www.make-it-in-germany.com/" target="_blank" rel="noopener noreferrer">the portal</a>');
    expect(html).not.toContain('**');
  });

  it('escapes raw HTML instead of passing it through', () => {
    const html = renderReplyHtml('Hi <script>alert(1)</script> <img src=x onerror=alert(1)> <b>bold</b>', 'ltr');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('drops links that are not http(s), keeping their text', () => {
    const html = renderReplyHtml('[click](javascript:alert(1)) [mail](mailto:a@b.de) [here](/relative) [ok](http://example.org/) <javascript:alert(2)>', 'ltr');
    expect(html).not.toMatch(/href="(javascript|mailto|\/)/);
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('click');
    expect(html).toContain('here');
    expect(html).toContain('<a href="http://example.org/" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(html).not.toContain('](');
  });

  it('links bare URLs (older answers carry them) but not bare domain names, and shows no images', () => {
    const html = renderReplyHtml('More: https://www.bamf.de/x. Or bamf.de ![logo](https://example.org/logo.png)', 'ltr');
    expect(html).toContain('<a href="https://www.bamf.de/x" target="_blank" rel="noopener noreferrer">https://www.bamf.de/x</a>.');
    expect(html).not.toContain('href="http://bamf.de');
    expect(html).not.toContain('<img');
  });

  it('renders a table as a table that scrolls sideways', () => {
    const html = renderReplyHtml('| Card | Points |\n|---|---|\n| Opportunity Card | 6 |', 'ltr');
    expect(html).toMatch(/^<div class="table"><table>/);
    expect(html).toContain('<th>Card</th>');
    expect(html).toContain('<td>6</td>');
    expect(html).not.toContain('|');
  });

  it('keeps line breaks within a paragraph (the privacy notice is a list of lines)', () => {
    expect(renderReplyHtml('About your privacy:\n• one\n• two', 'ltr')).toBe('<p>About your privacy:<br>\n• one<br>\n• two</p>\n');
  });

  it('isolates numbers, phone numbers, dates, amounts, paragraph numbers and URLs in a right-to-left reply', () => {
    const html = renderReplyHtml('اتصل بالخط الساخن +49 30 1815-1111 (من 8–16). راجع §18a و§20a Abs. 2 AufenthG. الحد الأدنى للراتب €50,700 اعتبارًا من 2026-11-22: https://www.make-it-in-germany.com/ar', 'rtl');
    for (const run of ['+49 30 1815-1111', '8–16', '§18a', '§20a Abs. 2 AufenthG', '€50,700', '2026-11-22']) expect(html).toContain(`<bdi dir="ltr">${run}</bdi>`);
    expect(html).toContain('<a href="https://www.make-it-in-germany.com/ar" target="_blank" rel="noopener noreferrer"><bdi dir="ltr">https://www.make-it-in-germany.com/ar</bdi></a>');
  });

  it('isolates nothing in a left-to-right reply', () => {
    expect(renderReplyHtml('Call +49 30 1815-1111, see §18a.', 'ltr')).not.toContain('<bdi');
  });
});

describe('withoutListedSources (older answers)', () => {
  const legacy = [
    'Here is what I found in Lotse\'s sources:',
    '',
    'You need at least 6 points [1].',
    '',
    'Sources:',
    `[1] Opportunity Card, as of 2026-11-22: ${SOURCES[0]!.url}`,
    `[2] Recognition in Germany, as of 2026-10-01: ${SOURCES[1]!.url}`,
    '',
    'This is general information, not advice on your individual case.',
  ].join('\n');

  it('takes out the sources list when the same sources come separately', () => {
    expect(withoutListedSources(legacy, SOURCES)).toBe("Here is what I found in Lotse's sources:\n\nYou need at least 6 points [1].\n\nThis is general information, not advice on your individual case.");
  });

  it('also in another language ("المصادر:")', () => {
    const arabic = `نص [1].\n\nالمصادر:\n[1] Opportunity Card، اعتبارًا من 2026-11-22: ${SOURCES[0]!.url}`;
    expect(withoutListedSources(arabic, SOURCES)).toBe('نص [1].');
  });

  it('keeps the text as it is without separate sources, or when the lines name none of them', () => {
    expect(withoutListedSources(legacy, [])).toBe(legacy);
    const other = 'Steps:\n[1] Fill in the form\n[2] Send it';
    expect(withoutListedSources(other, SOURCES)).toBe(other);
  });

  it('an answer in the new form is not changed', () => {
    expect(withoutListedSources('You need **6 points** [1].', SOURCES)).toBe('You need **6 points** [1].');
  });
});
