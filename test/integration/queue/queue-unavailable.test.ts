import { Redis } from 'ioredis';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../../src/channels/telegram/adapter.js';
import { WebChatChannel } from '../../../src/channels/web/adapter.js';
import { QueueUnavailableError } from '../../../src/core/errors.js';
import { createRedis } from '../../../src/infra/redis.js';
import { MessageQueues } from '../../../src/queue/message-queues.js';

const message = { id: 'web:abcdefabcdefabcdef12:1', channel: 'web', userId: 'abcdefabcdefabcdef12', kind: 'text' as const, text: 'hello', receivedAt: new Date().toISOString() };

describe('with Redis down', () => {
  it('the queue refuses at once with QueueUnavailableError instead of hanging', async () => {
    const dead = createRedis('redis://127.0.0.1:1', 'producer', { retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => undefined);
    const queues = new MessageQueues(dead, { bullPrefix: 'bq-dead' });
    const started = Date.now();
    await expect(queues.accept(message)).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
    dead.disconnect();
  });

  it('webhooks and the web chat answer 503, so the platform (or the page) retries and nothing is lost', async () => {
    const sink = { accept: async () => Promise.reject(new QueueUnavailableError()) };
    const telegram = new TelegramChannel({ token: '1:x', mode: 'webhook', webhookSecret: 's3cret', publicUrl: 'https://x.example', limits: {} }, sink, () => undefined);
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true });
    const web = new WebChatChannel(sink, redis, redis);
    const server = Fastify();
    telegram.routes(server);
    web.routes(server);
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'hi' } };
    const hook = await server.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': 's3cret' }, payload: update });
    expect(hook.statusCode).toBe(503);
    const issued = await server.inject({ method: 'POST', url: '/chat/session', payload: {} });
    const cookie = `lotse_chat=${issued.cookies.find((c) => c.name === 'lotse_chat')!.value}`;
    const chat = await server.inject({ method: 'POST', url: '/chat/messages', headers: { cookie }, payload: { id: 'm1', text: 'hello' } });
    expect(chat.statusCode).toBe(503);
    expect(chat.json().error).toMatch(/try again/);
    await server.close();
    redis.disconnect();
  });
});
