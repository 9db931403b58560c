import { describe, expect, it } from 'vitest';
import { chatOfUser, choiceNumber, messageRef, toInboundMessage, userIdOfChat } from '../../../src/channels/whatsapp/web/inbound.js';
import { MAX_TEXT_LENGTH } from '../../../src/core/message.js';
import { fakeMessage } from '../../helpers/fake-wweb-client.js';

const PHONE = '4917612345678';

describe('WhatsApp Web inbound mapping', () => {
  it('maps a text message: the number as user id, the message id, the time, the calling code as a country hint', () => {
    const message = toInboundMessage(fakeMessage({ from: `${PHONE}@c.us`, id: { id: '3EB0AA11', _serialized: `false_${PHONE}@c.us_3EB0AA11`, fromMe: false }, body: 'Wie lange dauert das Visum?', timestamp: 1_767_225_600 }));
    expect(message).toEqual({
      id: `whatsapp:${PHONE}:3EB0AA11`,
      channel: 'whatsapp',
      userId: PHONE,
      kind: 'text',
      text: 'Wie lange dauert das Visum?',
      receivedAt: '2026-01-01T00:00:00.000Z',
      countryHint: 'DE',
    });
    expect(messageRef(message!)).toBe(`${PHONE}:3EB0AA11`);
  });

  it.each([
    ['chat', 'text'],
    ['ptt', 'voice'],
    ['audio', 'voice'],
    ['image', 'photo'],
    ['document', 'document'],
    ['sticker', 'sticker'],
    ['location', 'location'],
    ['video', 'other'],
    ['vcard', 'other'],
    ['poll_creation', 'other'],
  ])('maps type %s to kind %s', (type, kind) => {
    expect(toInboundMessage(fakeMessage({ type }))?.kind).toBe(kind);
  });

  it('keeps a caption of a photo or document, and no body of a location or a contact card', () => {
    expect(toInboundMessage(fakeMessage({ type: 'image', body: 'my permit' }))?.text).toBe('my permit');
    expect(toInboundMessage(fakeMessage({ type: 'document', body: 'the contract' }))?.text).toBe('the contract');
    expect(toInboundMessage(fakeMessage({ type: 'location', body: '/9j/4AAQSkZJRgABAQ', location: { latitude: 52.52, longitude: 13.405 } }))?.text).toBe('');
    expect(toInboundMessage(fakeMessage({ type: 'vcard', body: 'BEGIN:VCARD\nTEL:+4917600000000\nEND:VCARD' }))?.text).toBe('');
  });

  it('ignores its own messages, groups, status updates, broadcasts, channels and system notices', () => {
    expect(toInboundMessage(fakeMessage({ fromMe: true, body: 'hi' }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ from: '120363012345678901@g.us', body: 'hi' }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ from: 'status@broadcast', body: 'hi' }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ isStatus: true, body: 'hi' }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ broadcast: true, body: 'hi' }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ from: '120363111111111111@newsletter', body: 'hi' }))).toBeUndefined();
    for (const type of ['e2e_notification', 'notification_template', 'call_log', 'revoked', 'ciphertext', 'protocol', 'gp2']) {
      expect(toInboundMessage(fakeMessage({ type }))).toBeUndefined();
    }
  });

  it('takes a linked id (which hides the number) as lid:<digits>, with no country hint, and maps it back', () => {
    const message = toInboundMessage(fakeMessage({ from: '123456789012345@lid', body: 'hello' }));
    expect(message?.userId).toBe('lid:123456789012345');
    expect(message?.id).toMatch(/^whatsapp:lid:123456789012345:/);
    expect(message?.countryHint).toBeUndefined();
    expect(chatOfUser('lid:123456789012345')).toBe('123456789012345@lid');
    expect(chatOfUser(PHONE)).toBe(`${PHONE}@c.us`);
    expect(userIdOfChat(`${PHONE}@c.us`)).toBe(PHONE);
    expect(chatOfUser('web-session-abc')).toBeUndefined();
    expect(chatOfUser('lid:12a')).toBeUndefined();
  });

  it('keeps only the country of a shared location, never its coordinates or place name', () => {
    const message = toInboundMessage(
      fakeMessage({ type: 'location', location: { latitude: '33.5138', longitude: '36.2765', name: 'Home', address: 'Street 1' } as never }),
    );
    expect(message?.sharedCountry).toBe('SY');
    expect(message?.kind).toBe('location');
    const json = JSON.stringify(message);
    expect(json).not.toContain('33.5');
    expect(json).not.toContain('36.2');
    expect(json).not.toContain('Street');
    // Out of range or missing: no country, still a message.
    expect(toInboundMessage(fakeMessage({ type: 'location', location: { latitude: 999, longitude: 13 } }))?.sharedCountry).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ type: 'location' }))?.sharedCountry).toBeUndefined();
  });

  it('reads a button or list answer as its action, with no text', () => {
    expect(toInboundMessage(fakeMessage({ type: 'buttons_response', body: 'Advisor', selectedButtonId: 'cmd:advisor' }))).toMatchObject({ kind: 'text', text: '', action: 'cmd:advisor' });
    expect(toInboundMessage(fakeMessage({ type: 'list_response', body: 'Français', selectedRowId: 'lang:fr' }))).toMatchObject({ kind: 'text', text: '', action: 'lang:fr' });
  });

  it('cuts a long text and marks it truncated', () => {
    const message = toInboundMessage(fakeMessage({ body: 'a'.repeat(MAX_TEXT_LENGTH + 50) }));
    expect(message?.text.length).toBe(MAX_TEXT_LENGTH);
    expect(message?.truncated).toBe(true);
  });

  it('never throws on malformed messages, and hashes an odd message id into a safe one', () => {
    const odd = toInboundMessage(fakeMessage({ id: { id: 'a b*c', _serialized: 'false_x_a b*c', fromMe: false } }));
    expect(odd?.id).toMatch(/^whatsapp:4917612345678:[0-9a-f]{32}$/);
    expect(toInboundMessage(fakeMessage({ id: { id: '', _serialized: '', fromMe: false } }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ from: undefined as never }))).toBeUndefined();
    expect(toInboundMessage(fakeMessage({ type: undefined as never, body: undefined as never }))?.kind).toBe('other');
    expect(toInboundMessage(fakeMessage({ timestamp: Number.NaN }))?.receivedAt).toMatch(/^\d{4}-/);
    expect(toInboundMessage(null as never)).toBeUndefined();
    expect(toInboundMessage({} as never)).toBeUndefined();
  });
});

describe('numbered choices', () => {
  it('reads a number in Western, Arabic-Indic and Extended Arabic-Indic digits, with spaces and direction marks', () => {
    expect(choiceNumber('1')).toBe(1);
    expect(choiceNumber(' 2 ')).toBe(2);
    expect(choiceNumber('٢')).toBe(2);
    expect(choiceNumber('۲')).toBe(2);
    expect(choiceNumber('\u200f٣\u200f')).toBe(3);
    expect(choiceNumber('12')).toBe(12);
  });

  it('takes nothing else for a number', () => {
    for (const text of ['', '0', '2.', 'two', '1 2', '2a', '123', '-1', '+1', '１']) expect(choiceNumber(text)).toBeUndefined();
  });
});
