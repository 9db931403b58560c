import { describe, expect, it } from 'vitest';
import { cloudParts, graphMessage, shorten } from '../../../src/channels/whatsapp/cloud/message-parts.js';
import { WHATSAPP_INTERACTIVE_BODY_LIMIT } from '../../../src/channels/whatsapp/render.js';
import type { ReplyButton } from '../../../src/core/message.js';

const reply = (text: string, buttons?: ReplyButton[]) => ({ text, buttons });

describe('Cloud API message parts', () => {
  it('a reply without buttons is text parts, sent without link previews', () => {
    const parts = cloudParts(reply('Hello **there**'), 'Options');
    expect(parts).toEqual([{ kind: 'text', body: 'Hello *there*' }]);
    expect(graphMessage('4917612345678', parts[0]!)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4917612345678',
      type: 'text',
      text: { body: 'Hello *there*', preview_url: false },
    });
  });

  it('up to three short buttons become reply buttons on the last part, their ids the actions', () => {
    const parts = cloudParts(reply('Do you agree?', [{ label: 'Yes', action: 'choice:yes' }, { label: 'No', action: 'choice:no' }]), 'Options');
    expect(parts).toHaveLength(1);
    expect(graphMessage('49176', parts[0]!)).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Do you agree?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'choice:yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'choice:no', title: 'No' } }] },
      },
    });
  });

  it('more than three buttons, or a label over 20 characters, become a list with the menu label', () => {
    const languages = ['English', 'Deutsch', 'Français', 'العربية'].map((label, i) => ({ label, action: `lang:${i}` }));
    const list = cloudParts(reply('Choose', languages), 'Options')[0]!;
    expect(list).toMatchObject({ kind: 'list', button: 'Options', rows: languages.map((b) => ({ id: b.action, title: b.label })) });
    const long = cloudParts(reply('Next?', [{ label: 'Talk to a human advisor now', action: 'cmd:advisor' }]), 'Options')[0]!;
    expect(long.kind).toBe('list');
    expect(graphMessage('49176', long)).toMatchObject({ interactive: { type: 'list', action: { button: 'Options', sections: [{ rows: [{ id: 'cmd:advisor' }] }] } } });
  });

  it('list rows: at most ten, titles shortened to 24 characters with "…" (the full label below), ids to 200', () => {
    const buttons = Array.from({ length: 12 }, (_, i) => ({ label: `Option number ${i} with a rather long label`, action: `a:${i}:${'x'.repeat(300)}` }));
    const list = cloudParts(reply('Pick one', buttons), 'A menu label that is far too long')[0]!;
    if (list.kind !== 'list') throw new Error('expected a list');
    expect(list.rows).toHaveLength(10);
    for (const row of list.rows) {
      expect(Array.from(row.title).length).toBeLessThanOrEqual(24);
      expect(row.title.endsWith('…')).toBe(true);
      expect(row.description).toMatch(/^Option number \d with a rather long label$/);
      expect(row.id.length).toBe(200);
    }
    expect(Array.from(list.button).length).toBeLessThanOrEqual(20);
  });

  it('shortens on code points: an emoji is never split', () => {
    const text = shorten('😀'.repeat(30), 24);
    expect(Array.from(text)).toHaveLength(24);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(shorten('short', 24)).toBe('short');
  });

  it('duplicate button labels go to a list (reply buttons need distinct titles)', () => {
    expect(cloudParts(reply('?', [{ label: 'Same', action: 'a' }, { label: 'Same', action: 'b' }]), 'Options')[0]!.kind).toBe('list');
  });

  it('a last part longer than 1,024 characters is cut: the buttons go with its end, every body fits', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(30).trim()}.`).join('\n\n');
    const parts = cloudParts(reply(paragraphs, [{ label: 'Yes', action: 'choice:yes' }]), 'Options');
    expect(parts.length).toBeGreaterThan(1);
    const last = parts.at(-1)!;
    expect(last.kind).toBe('buttons');
    expect(last.body.length).toBeLessThanOrEqual(WHATSAPP_INTERACTIVE_BODY_LIMIT);
    expect(parts.slice(0, -1).every((part) => part.kind === 'text')).toBe(true);
    // Nothing lost: the parts together hold every paragraph, in order.
    const joined = parts.map((part) => part.body).join('\n\n');
    for (let i = 0; i < 12; i++) expect(joined).toContain(`Paragraph ${i}:`);
    expect(joined.indexOf('Paragraph 11:')).toBeGreaterThan(joined.indexOf('Paragraph 0:'));
  });

  it('a very long reply is several text parts within the text limit, then the interactive one', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Line ${i} ${'lorem ipsum '.repeat(20)}`).join('\n');
    const parts = cloudParts(reply(text, [{ label: 'Advisor', action: 'cmd:advisor' }]), 'Options');
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.body.length).toBeLessThanOrEqual(part.kind === 'text' ? 4096 : 1024);
  });

  it('buttons under an empty text still get a body', () => {
    const parts = cloudParts(reply('', [{ label: 'Yes', action: 'choice:yes' }]), 'Options');
    expect(parts).toEqual([{ kind: 'buttons', body: 'Options', buttons: [{ id: 'choice:yes', title: 'Yes' }] }]);
  });
});
