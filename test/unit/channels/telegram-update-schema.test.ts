import { describe, expect, it } from 'vitest';
import { toInboundMessage } from '../../../src/channels/telegram/inbound.js';
import { parseTelegramUpdate } from '../../../src/channels/telegram/update-schema.js';
import { MAX_TEXT_LENGTH } from '../../../src/core/message.js';

const message = (fields: Record<string, unknown> = {}) => ({
  message_id: 7,
  date: 1_700_000_000,
  chat: { id: 42, type: 'private', first_name: 'A' },
  from: { id: 42, is_bot: false, first_name: 'A', language_code: 'fr' },
  text: 'Bonjour',
  ...fields,
});

function parsed(body: unknown) {
  const result = parseTelegramUpdate(body);
  if (!result.ok) throw new Error(`expected a valid update: ${result.reason}`);
  return result.update;
}

describe('Telegram update validation', () => {
  it('accepts a message with fields and update kinds Lotse does not read, and drops them', () => {
    const update = parsed({ update_id: 1, message: message({ entities: [{ type: 'bold' }], via_bot: {} }), edited_message: { anything: true }, future_field: 1 });
    expect(update).toEqual({ update_id: 1, message: { message_id: 7, date: 1_700_000_000, chat: { id: 42, type: 'private' }, from: { language_code: 'fr' }, text: 'Bonjour' } });
    expect(toInboundMessage(update)).toMatchObject({ id: 'telegram:42:7', kind: 'text', text: 'Bonjour', localeHint: 'fr' });
  });

  it('ignores update kinds Lotse does not handle, and buttons without a message or data', () => {
    for (const body of [
      { update_id: 2, edited_message: message() },
      { update_id: 3, my_chat_member: { chat: { id: 1 } } },
      { update_id: 4, callback_query: { id: 'c', from: {}, data: 'cmd:help' } },
      { update_id: 5, callback_query: { id: 'c', from: {}, message: { chat: { id: 1, type: 'private' } } } },
      { update_id: 6, message: message({ chat: { id: -100, type: 'supergroup' } }) },
    ]) {
      expect(toInboundMessage(parsed(body))).toBeUndefined();
    }
  });

  it('refuses what Lotse reads when it is missing or of the wrong type, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [null, /^update: /],
      [[message()], /^update: /],
      [{ message: message() }, /^update_id: /],
      [{ update_id: -1, message: message() }, /^update_id: /],
      [{ update_id: 1.5 }, /^update_id: /],
      [{ update_id: 2 ** 53 }, /^update_id: /],
      [{ update_id: 1, message: message({ chat: undefined }) }, /^message\.chat: /],
      [{ update_id: 1, message: message({ chat: { id: '42', type: 'private' } }) }, /^message\.chat\.id: /],
      [{ update_id: 1, message: message({ date: 1e15 }) }, /^message\.date: /],
      [{ update_id: 1, message: message({ text: 42 }) }, /^message\.text: /],
      [{ update_id: 1, message: message({ voice: 'file' }) }, /^message\.voice: /],
      [{ update_id: 1, message: message({ photo: [{}] }) }, /^message\.photo\.0\.file_id: /],
      [{ update_id: 1, message: message({ from: { language_code: ['en'] } }) }, /^message\.from\.language_code: /],
      [{ update_id: 1, callback_query: { id: 'c', from: {}, data: 'x'.repeat(65), message: { chat: { id: 1, type: 'private' } } } }, /^callback_query\.data: /],
      [{ update_id: 1, callback_query: { from: {}, data: 'cmd:help' } }, /^callback_query\.id: /],
    ];
    for (const [body, reason] of cases) {
      const result = parseTelegramUpdate(body);
      expect(result.ok, JSON.stringify(body)).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
  });

  it('never quotes what the sender wrote in its reason', () => {
    const secret = 'my passport number is C01X00T47 and I am afraid';
    for (const body of [
      { update_id: 1, message: message({ text: secret, chat: undefined }) },
      { update_id: 1, message: message({ text: secret, date: secret }) },
      { update_id: 1, message: message({ chat: { id: 1, type: secret.repeat(10) } }) },
      { update_id: secret },
    ]) {
      const result = parseTelegramUpdate(body);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).not.toContain('passport');
        expect(result.reason.length).toBeLessThanOrEqual(300);
      }
    }
  });

  it('cuts an over-long text at MAX_TEXT_LENGTH and marks it truncated, instead of dropping it', () => {
    const long = parsed({ update_id: 1, message: message({ text: 'ab😀'.repeat(2000) }) });
    const inbound = toInboundMessage(long)!;
    expect(inbound.truncated).toBe(true);
    expect(inbound.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(inbound.text.length).toBeGreaterThan(MAX_TEXT_LENGTH - 2);
    expect(inbound.text).not.toMatch(/[\ud800-\udbff]$/);
    const caption = toInboundMessage(parsed({ update_id: 2, message: message({ text: undefined, photo: [], caption: 'x'.repeat(MAX_TEXT_LENGTH + 1) }) }))!;
    expect(caption).toMatchObject({ kind: 'photo', truncated: true });
    expect(caption.text).toHaveLength(MAX_TEXT_LENGTH);
    expect(toInboundMessage(parsed({ update_id: 3, message: message() }))).not.toHaveProperty('truncated');
  });

  it('maps voice notes with their file id, and media without text to their kind', () => {
    expect(toInboundMessage(parsed({ update_id: 1, message: message({ text: undefined, voice: { file_id: 'v', file_unique_id: 'u', duration: 2, mime_type: 'audio/ogg' } }) }))).toMatchObject({
      kind: 'voice',
      text: '',
      media: { ref: 'v', mimeType: 'audio/ogg' },
    });
    expect(toInboundMessage(parsed({ update_id: 2, message: message({ text: undefined, location: { latitude: 52.5, longitude: 13.4 } }) }))).toMatchObject({ kind: 'location' });
    expect(toInboundMessage(parsed({ update_id: 3, message: message({ text: undefined, sticker: { file_id: 's' } }) }))).toMatchObject({ kind: 'sticker' });
    expect(toInboundMessage(parsed({ update_id: 4, message: message({ text: undefined }) }))).toMatchObject({ kind: 'other', text: '' });
  });
});
