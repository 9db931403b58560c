import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { postMessage } from '../../../src/channels/whatsapp/cloud/graph-api.js';
import { CHANNELS } from '../../../src/channels/registry.js';
import { PermanentSendError, RateLimitedError, RetryableSendError, SEND_FAILURE_KINDS } from '../../../src/core/errors.js';
import { CHANNEL_LABELS, channelLabel, dangerLabel, poolLabel, reasonLabel } from '../../../src/operations/metric-labels.js';
import { sendErrorKind } from '../../../src/operations/send-errors.js';

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
    for (const [error] of cases) expect(SEND_FAILURE_KINDS).toContain(sendErrorKind(error));
  });

  it('takes the kind the sender gave over anything its words or status suggest', () => {
    expect(sendErrorKind(new RetryableSendError('Graph API HTTP 500: not ready at all', 'token'))).toBe('token');
    expect(sendErrorKind(new PermanentSendError('HTTP 401 blocked by the user', { kind: 'bad_request' }))).toBe('bad_request');
    expect(sendErrorKind(new Error('outer', { cause: new RetryableSendError('inner', 'timeout') }))).toBe('timeout');
  });

  it('gets its kind from the Graph API client itself, whatever Meta writes', async () => {
    const answers = new Map<string, [number, Record<string, unknown>]>([
      ['server', [500, { error: { message: 'An unknown error occurred', code: 1 } }]],
      ['token', [401, { error: { message: 'Error validating access token', code: 190 } }]],
      ['blocked', [403, { error: { message: 'Recipient unavailable', code: 10 } }]],
      ['bad_request', [400, { error: { message: 'Message undeliverable', code: 131026 } }]],
    ]);
    let next = 'server';
    const server = createServer((_request, response) => {
      const [status, body] = answers.get(next)!;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`;
    const kindOf = (graphApiUrl: string, timeoutMs = 5_000) => postMessage({ graphApiUrl, phoneNumberId: '1', token: 't' }, {}, timeoutMs).then(() => 'sent', sendErrorKind);
    try {
      for (const kind of answers.keys()) {
        next = kind;
        expect(await kindOf(url)).toBe(kind);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await kindOf(url)).toBe('network'); // closed now
  });
});
