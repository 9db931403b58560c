import { describe, expect, it } from 'vitest';
import { TELEGRAM_LIMIT, renderHtml, replyParts } from '../../../src/channels/telegram/render.js';
import { toInboundMessage } from '../../../src/channels/telegram/inbound.js';

describe('Telegram rendering', () => {
  it('renders the Markdown subset as Telegram HTML: escaped text, bold, italics, lists, links; raw HTML stays text', () => {
    const html = renderHtml({ text: 'Tom & Jerry <script>alert(1)</script>\n\n**Points** and *more*:\n\n- one [page](https://example.org/a?b=1&c=2)\n- two [bad](javascript:alert(1))\n\n1. first\n2. second' });
    expect(html).toBe(
      'Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;\n\n<b>Points</b> and <i>more</i>:\n\n• one <a href="https://example.org/a?b=1&amp;c=2">page</a>\n• two [bad](javascript:alert(1))\n\n1. first\n2. second',
    );
  });

  it('turns a table into a list and puts the sources, linked, under the text', () => {
    const html = renderHtml({
      text: '| Year | Standard |\n|---|---|\n| 2026 | €50,700 |',
      sources: [{ id: 'eu-blue-card', title: 'EU Blue Card', url: 'https://www.make-it-in-germany.com/en/visa-residence/types/eu-blue-card', asOf: '2026-11-22' }],
      sourceLabels: { heading: 'Quellen', asOf: 'Stand' },
    });
    expect(html).toBe('• 2026: Standard: €50,700\n\nQuellen:\n[1] <a href="https://www.make-it-in-germany.com/en/visa-residence/types/eu-blue-card">EU Blue Card</a>, Stand 2026-11-22');
    expect(html).not.toContain('|');
  });

  it('splits a long reply between lines, every part within the limit, no tag cut, nothing lost', () => {
    const paragraph = '**Word** & word <tag> '.repeat(40).trim();
    const text = Array.from({ length: 20 }, () => paragraph).join('\n\n');
    const parts = replyParts({ text });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(part.match(/<b>/g)?.length).toBe(part.match(/<\/b>/g)?.length);
    }
    const plain = (s: string) => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
    expect(plain(parts.join(' '))).toBe(plain(renderHtml({ text })));
    expect(replyParts({ text: 'short' })).toEqual(['short']);
  });
});

describe('Telegram updates', () => {
  it('maps messages, media and button presses; ignores groups', () => {
    const base = { message_id: 7, date: 1_700_000_000, chat: { id: 42, type: 'private' as const, first_name: 'A' }, from: { id: 42, is_bot: false, first_name: 'A', language_code: 'fr' } };
    expect(toInboundMessage({ update_id: 1, message: { ...base, text: 'Bonjour' } })).toMatchObject({ id: 'telegram:42:7', userId: '42', kind: 'text', text: 'Bonjour', localeHint: 'fr' });
    expect(toInboundMessage({ update_id: 2, message: { ...base, voice: { file_id: 'f', file_unique_id: 'u', duration: 2 } } } as never)).toMatchObject({ kind: 'voice', text: '', media: { ref: 'f' } });
    expect(toInboundMessage({ update_id: 3, message: { ...base, photo: [], caption: 'my diploma' } } as never)).toMatchObject({ kind: 'photo', text: 'my diploma' });
    expect(toInboundMessage({ update_id: 4, message: { ...base, chat: { id: -5, type: 'group', title: 'g' }, text: 'hi' } } as never)).toBeUndefined();
    expect(toInboundMessage({ update_id: 5, callback_query: { id: 'c1', from: base.from, chat_instance: 'x', data: 'cmd:advisor', message: { ...base, text: 'x' } } } as never)).toMatchObject({ action: 'cmd:advisor', id: 'telegram:42:cbc1' });
  });
});
