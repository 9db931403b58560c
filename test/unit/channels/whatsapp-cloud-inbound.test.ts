import { describe, expect, it } from 'vitest';
import { webhookContent } from '../../../src/channels/whatsapp/cloud/inbound.js';
import { parseWebhook } from '../../../src/channels/whatsapp/cloud/webhook-schema.js';
import { MAX_TEXT_LENGTH } from '../../../src/core/message.js';
import { WebhookBuilder } from '../../helpers/fake-graph-api-server.js';

const PHONE_ID = '109876543210';
const at = Date.parse('2026-03-01T10:00:00Z');
const build = new WebhookBuilder(PHONE_ID, () => at);
const user = '4917612345678';

function content(body: unknown) {
  const parsed = parseWebhook(body, PHONE_ID);
  if (!parsed.ok) throw new Error(parsed.reason);
  return webhookContent(parsed.values);
}

const one = (message: Record<string, unknown>) => {
  const { messages } = content(build.body({ messages: [message] }));
  expect(messages).toHaveLength(1);
  return messages[0]!;
};

describe('Cloud API webhook → InboundMessage', () => {
  it('a text: id from the sender and the wamid, digits-only user, the time it was sent, the country of the number', () => {
    expect(one(build.text(user, 'Hello', 'wamid.ABC='))).toEqual({
      id: `whatsapp:${user}:wamid.ABC=`,
      channel: 'whatsapp',
      userId: user,
      kind: 'text',
      text: 'Hello',
      receivedAt: '2026-03-01T10:00:00.000Z',
      countryHint: 'DE',
    });
  });

  it('a text over the limit is cut and marked truncated', () => {
    const message = one(build.text(user, 'a'.repeat(MAX_TEXT_LENGTH + 10)));
    expect(message.text).toHaveLength(MAX_TEXT_LENGTH);
    expect(message.truncated).toBe(true);
  });

  it('a pressed reply button or list row carries its id as the action', () => {
    expect(one(build.choice(user, 'cmd:advisor', 'Advisor', 'button'))).toMatchObject({ kind: 'text', text: '', action: 'cmd:advisor' });
    expect(one(build.choice(user, 'lang:fr', 'Français', 'list'))).toMatchObject({ kind: 'text', text: '', action: 'lang:fr' });
  });

  it("a template's quick reply is read as its text", () => {
    const message = one({ from: user, id: 'wamid.q', timestamp: '1772359200', type: 'button', button: { payload: 'resume', text: 'Continue' } });
    expect(message).toMatchObject({ kind: 'text', text: 'Continue' });
    expect(message.action).toBeUndefined();
  });

  it('media: a voice note, a photo with its caption, a document, a sticker, a video, each with its media id', () => {
    expect(one(build.audio(user, '111'))).toMatchObject({ kind: 'voice', text: '', media: { ref: '111', mimeType: 'audio/ogg; codecs=opus' } });
    expect(one(build.image(user, '222', 'my permit'))).toMatchObject({ kind: 'photo', text: 'my permit', media: { ref: '222', mimeType: 'image/jpeg' } });
    const base = { from: user, timestamp: '1772359200' };
    expect(one({ ...base, id: 'w.d', type: 'document', document: { id: '333', mime_type: 'application/pdf', filename: 'a.pdf' } })).toMatchObject({ kind: 'document', media: { ref: '333' } });
    expect(one({ ...base, id: 'w.s', type: 'sticker', sticker: { id: '444', mime_type: 'image/webp', animated: false } })).toMatchObject({ kind: 'sticker', media: { ref: '444' } });
    expect(one({ ...base, id: 'w.v', type: 'video', video: { id: '555', mime_type: 'video/mp4' } })).toMatchObject({ kind: 'other', media: { ref: '555' } });
  });

  it('a shared location leaves only its country, never the coordinates (none at sea)', () => {
    const message = one(build.location(user, 48.137, 11.575));
    expect(message).toMatchObject({ kind: 'location', sharedCountry: 'DE', text: '' });
    expect(JSON.stringify(message)).not.toMatch(/48\.13|11\.57|Somewhere|Street/);
    expect(one(build.location(user, 30, -40)).sharedCountry).toBeUndefined();
  });

  it('reactions, unsupported types and unknown ones still become messages (kind other), never silence', () => {
    const base = { from: user, timestamp: '1772359200' };
    expect(one({ ...base, id: 'w.r', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } })).toMatchObject({ kind: 'other', text: '' });
    expect(one({ ...base, id: 'w.u', type: 'unsupported', errors: [{ code: 131051 }] })).toMatchObject({ kind: 'other' });
    expect(one({ ...base, id: 'w.n', type: 'hologram' })).toMatchObject({ kind: 'other' });
    expect(one({ ...base, id: 'w.f', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: {} } })).toMatchObject({ kind: 'other' });
  });

  it('keeps no name: the contact profile is not read', () => {
    expect(JSON.stringify(one(build.text(user, 'hi')))).not.toContain('Test User');
  });

  it('counts statuses and keeps only the error code of a failed one', () => {
    const result = content(build.body({ statuses: [build.status(user, 'delivered'), build.status(user, 'read'), build.status(user, 'failed', 131026)] }));
    expect(result).toEqual({ messages: [], statuses: 3, failures: [131026] });
  });

  it('skips changes for another phone number id, and changes of other fields', () => {
    const foreign = build.body({ messages: [build.text(user, 'hi')], phoneNumberId: '999' });
    expect(content(foreign).messages).toHaveLength(0);
    // A foreign change is not even checked.
    const foreignBroken = build.body({ messages: [{ from: 'x' }], phoneNumberId: '999' });
    expect(parseWebhook(foreignBroken, PHONE_ID).ok).toBe(true);
    const template = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
    expect(content(template)).toEqual({ messages: [], statuses: 0, failures: [] });
  });

  it('several messages in one body keep their order', () => {
    const result = content(build.body({ messages: [build.text(user, 'one'), build.text('33612345678', 'two')] }));
    expect(result.messages.map((m) => [m.text, m.countryHint])).toEqual([['one', 'DE'], ['two', 'FR']]);
  });

  it('refuses malformed bodies with a reason that names fields, never values', () => {
    const cases: unknown[] = [
      null,
      'text',
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account' },
      build.body({ messages: [{ ...build.text(user, 'secret words'), from: 'not-a-number' }] }),
      build.body({ messages: [{ ...build.text(user, 'secret words'), timestamp: 'yesterday' }] }),
      build.body({ messages: [{ ...build.text(user, 'x'), text: { body: 42 } }] }),
      build.body({ messages: [build.audio(user, '../../etc/passwd')] }),
      build.body({ messages: [build.location(user, 123, 0)] }),
    ];
    for (const body of cases) {
      const parsed = parseWebhook(body, PHONE_ID);
      expect(parsed.ok, JSON.stringify(body)?.slice(0, 80)).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).not.toMatch(/secret words|not-a-number|passwd|4917612345678/);
        expect(parsed.reason.length).toBeLessThanOrEqual(300);
      }
    }
  });
});
