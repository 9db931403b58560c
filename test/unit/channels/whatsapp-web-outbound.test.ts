import { describe, expect, it } from 'vitest';
import { mediaFileName, decodeMedia, MediaRefusedError } from '../../../src/channels/whatsapp/web/media.js';
import { safeReason, webReplyParts } from '../../../src/channels/whatsapp/web/outbound.js';
import { WHATSAPP_TEXT_LIMIT } from '../../../src/channels/whatsapp/render.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';

const words = new I18nTranslator(Messages.create());

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { id: 'r1', channel: 'whatsapp', userId: '4917612345678', text: 'The EU Blue Card is issued for up to **four years**.', language: 'en', direction: 'ltr', ...overrides };
}

describe('WhatsApp Web reply parts', () => {
  it('writes a reply without buttons in WhatsApp syntax, one part, no choices', () => {
    expect(webReplyParts(reply(), words)).toEqual({ parts: ['The EU Blue Card is issued for up to *four years*.'], actions: [] });
  });

  it('writes buttons as numbered lines under the last part, after the line in the reply language', () => {
    const buttons = [
      { label: 'More', action: 'cmd:more' },
      { label: 'Talk to\nan advisor', action: 'cmd:advisor' },
      { label: 'Language', action: 'cmd:language' },
    ];
    const { parts, actions } = webReplyParts(reply({ buttons }), words);
    expect(parts).toEqual(['The EU Blue Card is issued for up to *four years*.\n\nReply with the number of your choice:\n1. More\n2. Talk to an advisor\n3. Language']);
    expect(actions).toEqual(['cmd:more', 'cmd:advisor', 'cmd:language']);
    const arabic = webReplyParts(reply({ language: 'ar', direction: 'rtl', text: 'مرحبا', buttons: [{ label: 'نعم', action: 'choice:yes' }] }), words);
    expect(arabic.parts[0]).toBe('مرحبا\n\nأجب برقم اختيارك:\n1. نعم');
  });

  it('puts the choices in a part of their own when the last part has no room, every part within the limit', () => {
    const paragraph = 'word '.repeat(400).trim();
    const text = Array.from({ length: 3 }, () => paragraph).join('\n\n');
    const { parts, actions } = webReplyParts(reply({ text, buttons: [{ label: 'Yes', action: 'choice:yes' }, { label: 'No', action: 'choice:no' }] }), words);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WHATSAPP_TEXT_LIMIT);
    expect(parts.at(-1)).toMatch(/Reply with the number of your choice:\n1\. Yes\n2\. No$/);
    expect(actions).toEqual(['choice:yes', 'choice:no']);
  });

  it('sends the choices alone when the reply has no text', () => {
    expect(webReplyParts(reply({ text: '', buttons: [{ label: 'Yes', action: 'choice:yes' }] }), words).parts).toEqual(['Reply with the number of your choice:\n1. Yes']);
  });

  it('masks numbers and chat ids in an error reason', () => {
    const reason = safeReason(new Error('Evaluation failed: no chat 4917612345678@c.us (+49 176 1234567) found'));
    expect(reason).not.toMatch(/\d{5}/);
    expect(reason).not.toContain('@c.us');
    expect(reason).toContain('Evaluation failed');
  });
});

describe('WhatsApp Web files', () => {
  it('names a voice note by its format and keeps a document its own (safe) name', () => {
    expect(mediaFileName('voice', { mimetype: 'audio/ogg; codecs=opus' })).toBe('voice.ogg');
    expect(mediaFileName('photo', { mimetype: 'image/jpeg' })).toBe('photo.jpg');
    expect(mediaFileName('document', { mimetype: 'application/pdf', filename: '../../etc/Aufenthaltstitel ü.pdf' })).toBe('Aufenthaltstitel ü.pdf');
    expect(mediaFileName('document', { mimetype: 'application/x-unknown' })).toBe('document.bin');
  });

  it('decodes a file and refuses an empty or oversized one', () => {
    const file = decodeMedia('voice', { mimetype: 'audio/ogg', data: Buffer.from('OggS-voice').toString('base64') });
    expect(file.data.toString()).toBe('OggS-voice');
    expect(() => decodeMedia('voice', { mimetype: 'audio/ogg', data: '' })).toThrow(MediaRefusedError);
    expect(() => decodeMedia('photo', { mimetype: 'image/jpeg', data: Buffer.alloc(2048).toString('base64') }, 1024)).toThrow(/larger than 1024 bytes/);
    expect(() => decodeMedia('photo', { mimetype: 'image/jpeg', data: 'AAAA', filesize: 17 * 1024 * 1024 })).toThrow(/larger than/);
  });
});
