import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../src/channels/registry.js';
import { PermanentSendError, RateLimitedError } from '../../../src/core/errors.js';
import { CHANNEL_LABELS, channelLabel, dangerLabel, poolLabel, reasonLabel } from '../../../src/operations/metric-labels.js';
import { SEND_ERRORS, sendErrorKind } from '../../../src/operations/send-errors.js';

describe('metric labels', () => {
  it('has a label for every channel Lotse has, and "other" for anything else', () => {
    for (const channel of CHANNELS) expect(CHANNEL_LABELS).toContain(channel.name);
    expect(channelLabel('telegram')).toBe('telegram');
    expect(channelLabel('whatsapp:4917012345678')).toBe('other');
    expect(channelLabel(undefined)).toBe('other');
  });

  it('clamps reasons, kinds of danger and pools to their sets', () => {
    expect(reasonLabel('safety')).toBe('safety');
    expect(reasonLabel('Ich brauche Hilfe')).toBe('other');
    expect(dangerLabel('safety', 'trafficking_exploitation')).toBe('trafficking_exploitation');
    expect(dangerLabel('safety', undefined)).toBe('unknown');
    expect(dangerLabel('safety', 'made up')).toBe('other');
    expect(dangerLabel('sensitive', 'violence')).toBe('none');
    expect(poolLabel(['tunis', 'default'], 'tunis')).toBe('tunis');
    expect(poolLabel(['tunis', 'default'], 'amira')).toBe('other');
  });
});

describe('send errors', () => {
  const grammy = (code: number, description: string) => new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description }, 'sendMessage', {});

  it('sorts what the channel senders throw into a fixed set, never keeping their words', () => {
    const cases: [unknown, string][] = [
      [new RateLimitedError(3), 'rate_limited'],
      [new PermanentSendError('Telegram sendMessage: Forbidden: bot was blocked by the user', { cause: grammy(403, 'Forbidden: bot was blocked by the user') }), 'blocked'],
      [new PermanentSendError('Telegram sendMessage: Bad Request: chat not found', { cause: grammy(400, 'Bad Request: chat not found') }), 'bad_request'],
      [grammy(401, 'Unauthorized'), 'token'],
      [grammy(502, 'Bad Gateway'), 'server'],
      [new Error('Telegram unreachable: Network request for \'sendMessage\' failed!'), 'network'],
      [new Error('Graph API HTTP 401 code 190: the access token was refused (expired or revoked?); renew WHATSAPP_CLOUD_TOKEN'), 'token'],
      [new Error('Graph API HTTP 500 code 1: An unknown error occurred'), 'server'],
      [new Error('Graph API did not answer within 10000 ms'), 'timeout'],
      [new PermanentSendError('Graph API HTTP 400 code 131026: Message undeliverable'), 'bad_request'],
      [new Error('WhatsApp Web client not ready'), 'not_ready'],
      [new Error('WhatsApp Web send unconfirmed: the client did not answer in time'), 'timeout'],
      [new Error('something else entirely for +49 170 1234567'), 'other'],
      ['a string', 'other'],
    ];
    for (const [error, kind] of cases) expect({ error: String((error as Error).message ?? error), kind: sendErrorKind(error) }).toEqual({ error: String((error as Error).message ?? error), kind });
    for (const [error] of cases) expect(SEND_ERRORS).toContain(sendErrorKind(error));
  });
});
