import { describe, expect, it } from 'vitest';
import { TELEGRAM_LIMIT, renderHtml, splitText } from '../../../src/channels/telegram/render.js';
import { toInboundMessage } from '../../../src/channels/telegram/inbound.js';

describe('Telegram rendering', () => {
  it('escapes HTML, makes *emphasis* bold and sources links', () => {
    const html = renderHtml('Tom & Jerry <script>\n*Points*\n[1] Opportunity Card: points, as of 2026-11-22: https://www.buzer.de/Anlage_AufenthG.htm?a=1&b=2');
    expect(html).toBe(
      'Tom &amp; Jerry &lt;script&gt;\n<b>Points</b>\n[1] <a href="https://www.buzer.de/Anlage_AufenthG.htm?a=1&amp;b=2">Opportunity Card: points</a>, as of 2026-11-22',
    );
  });

  it('splits a long answer at paragraphs, every part within the limit once rendered, nothing lost', () => {
    const paragraph = 'Word & word <tag> '.repeat(40).trim();
    const text = Array.from({ length: 20 }, () => paragraph).join('\n\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(renderHtml(part).length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    expect(splitText('short')).toEqual(['short']);
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
