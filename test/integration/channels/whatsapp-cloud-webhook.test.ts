import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { WhatsAppCloudChannel, WhatsAppDeliveryFailedError } from '../../../src/channels/whatsapp/cloud/adapter.js';
import { WhatsAppWebhookInvalidError } from '../../../src/channels/whatsapp/cloud/webhook-schema.js';
import { QueueUnavailableError } from '../../../src/core/errors.js';
import type { InboundMessage } from '../../../src/core/message.js';
import { cloudSettings, FakeGraphApiServer, signedWebhook, WebhookBuilder, webhookSignature } from '../../helpers/fake-graph-api-server.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const USER = '4917612345678';
let graph: FakeGraphApiServer;
let redis: Redis;
let prefix: string;
let server: FastifyInstance;
let channel: WhatsAppCloudChannel;
let accepted: InboundMessage[];
let errors: { error: unknown; what: string }[];
let queueDown: boolean;
const build = new WebhookBuilder();

beforeEach(async () => {
  graph = await new FakeGraphApiServer().start();
  redis = new Redis(inject('redisUrl'));
  prefix = `wa-webhook-test-${randomUUID().slice(0, 8)}:`;
  accepted = [];
  errors = [];
  queueDown = false;
  channel = new WhatsAppCloudChannel(cloudSettings(graph), {
    sink: {
      accept: async (message) => {
        if (queueDown) throw new QueueUnavailableError();
        accepted.push(message);
      },
    },
    redis,
    keyPrefix: prefix,
    outbox: { deliver: async () => undefined },
    advisorNotice: async () => undefined,
    onError: (error, what) => void errors.push({ error, what }),
  });
  server = Fastify({ logger: false });
  channel.routes(server);
  await server.ready();
});
afterEach(async () => {
  await server.close();
  await channel.stop();
  await graph.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const secret = 'test-app-secret';
function post(body: unknown, signature?: string | null, payload?: string) {
  const signed = signedWebhook(body, secret);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? signed.signature;
  return server.inject({ method: 'POST', url: '/whatsapp/webhook', headers, payload: payload ?? signed.payload });
}

describe('GET /whatsapp/webhook (subscription check)', () => {
  it('echoes the challenge as text only with the right verify token', async () => {
    const ok = await server.inject({ method: 'GET', url: '/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toBe('1158201444');
    for (const query of ['hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1', 'hub.mode=subscribe&hub.verify_token=test-verify-tokenX&hub.challenge=1', 'hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1', 'hub.mode=subscribe&hub.challenge=1', '']) {
      const refused = await server.inject({ method: 'GET', url: `/whatsapp/webhook?${query}` });
      expect(refused.statusCode, query).toBe(403);
      expect(refused.body).not.toContain('1');
    }
  });
});

describe('POST /whatsapp/webhook', () => {
  it('a missing, wrong or foreign signature: 401, nothing parsed, queued or kept', async () => {
    const body = build.body({ messages: [build.text(USER, 'Hello')] });
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, signedWebhook(body, 'another-secret').signature)).statusCode).toBe(401);
    expect((await post(body, signedWebhook({ other: true }, secret).signature)).statusCode).toBe(401);
    expect((await post(body, 'sha256=abc')).statusCode).toBe(401);
    // Signed, then changed on the way.
    const signed = signedWebhook(body, secret);
    expect((await post(body, signed.signature, signed.payload.replace('Hello', 'Hallo'))).statusCode).toBe(401);
    // Not even a body that is not JSON gets as far as the parser.
    expect((await post(body, null, '{not json')).statusCode).toBe(401);
    expect(accepted).toHaveLength(0);
    expect(errors).toHaveLength(0);
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  });

  it('a signed text is queued once with its fields, and opens the user\'s window', async () => {
    const message = build.text(USER, 'What is the Opportunity Card?', 'wamid.HBgLNDkxNzYxMjM0NTY3OBUCABIYFDNB');
    const response = await post(build.body({ messages: [message] }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(accepted).toEqual([
      {
        id: `whatsapp:${USER}:wamid.HBgLNDkxNzYxMjM0NTY3OBUCABIYFDNB`,
        channel: 'whatsapp',
        userId: USER,
        kind: 'text',
        text: 'What is the Opportunity Card?',
        receivedAt: new Date(Number(message.timestamp) * 1000).toISOString(),
        countryHint: 'DE',
      },
    ]);
    expect(await channel.sender.window.isOpen(USER, Date.now())).toBe(true);
  });

  it('the same webhook delivered again gives the same message id (the queue drops the copy)', async () => {
    const body = build.body({ messages: [build.text(USER, 'Hello')] });
    expect((await post(body)).statusCode).toBe(200);
    expect((await post(body)).statusCode).toBe(200);
    expect(accepted).toHaveLength(2);
    expect(accepted[1]!.id).toBe(accepted[0]!.id);
  });

  it('accepts a charset in the content type, and a button press as an action', async () => {
    const body = build.body({ messages: [build.choice(USER, 'choice:yes', 'Yes')] });
    const signed = signedWebhook(body, secret);
    const response = await server.inject({ method: 'POST', url: '/whatsapp/webhook', headers: { 'content-type': 'application/json; charset=utf-8', 'x-hub-signature-256': signed.signature }, payload: signed.payload });
    expect(response.statusCode).toBe(200);
    expect(accepted[0]).toMatchObject({ action: 'choice:yes', text: '' });
  });

  it('statuses: 200, nothing queued, the window untouched; a failed one reported with its code only', async () => {
    const response = await post(build.body({ statuses: [build.status(USER, 'delivered'), build.status(USER, 'failed', 131026)] }));
    expect(response.statusCode).toBe(200);
    expect(accepted).toHaveLength(0);
    expect(await channel.sender.window.isOpen(USER, Date.now())).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBeInstanceOf(WhatsAppDeliveryFailedError);
    expect((errors[0]!.error as Error).message).toContain('131026');
    expect((errors[0]!.error as Error).message).not.toContain(USER);
  });

  it('a change for another phone number id is ignored (200, nothing queued)', async () => {
    expect((await post(build.body({ messages: [build.text(USER, 'Hello')], phoneNumberId: '999' }))).statusCode).toBe(200);
    expect(accepted).toHaveLength(0);
  });

  it('signed but not JSON, or the wrong shape: 400 with a short reason, logged without content', async () => {
    const notJson = await post(null, webhookSignature('{oops', secret), '{oops');
    expect(notJson.statusCode).toBe(400);
    const wrong = await post(build.body({ messages: [{ ...build.text(USER, 'private words'), timestamp: 'soon' }] }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatch(/timestamp/);
    expect(wrong.body).not.toContain('private words');
    expect(errors.map((e) => e.error)).toEqual([expect.any(WhatsAppWebhookInvalidError), expect.any(WhatsAppWebhookInvalidError)]);
    for (const { error } of errors) expect((error as Error).message).not.toMatch(/private words|4917612345678/);
    expect(accepted).toHaveLength(0);
  });

  it('the queue down: 503 (Meta retries), and the retry is queued', async () => {
    const body = build.body({ messages: [build.text(USER, 'Hello')] });
    queueDown = true;
    const refused = await post(body);
    expect(refused.statusCode).toBe(503);
    expect(accepted).toHaveLength(0);
    queueDown = false;
    expect((await post(body)).statusCode).toBe(200);
    expect(accepted).toHaveLength(1);
  });

  it('bad input of every sort never crashes the route', async () => {
    const bodies: unknown[] = [[], 0, 'x', { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: null }] }] }, { object: 'whatsapp_business_account', entry: 'many' }];
    for (const body of bodies) {
      const response = await post(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    const empty = await post(null, webhookSignature('', secret), '');
    expect(empty.statusCode).toBe(400);
    expect(accepted).toHaveLength(0);
  });
});
