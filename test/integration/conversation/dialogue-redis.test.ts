import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisStores } from '../../../src/conversation/create-engine.js';
import { loadConfig } from '../../../src/config/config.js';
import { testEngine } from '../../helpers/engine.js';

let redis: Redis;
const prefix = `lotse-test-${randomUUID()}:`;
const keys = () => redis.keys(`${prefix}*`);

beforeAll(() => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const left = await keys();
  if (left.length) await redis.del(...left);
  await redis.quit();
});

describe('a whole dialogue on real Redis', () => {
  it('consent, an answer with sources, an advisor request, then delete leaves nothing behind', async () => {
    const engine = await testEngine({ stores: redisStores(redis, loadConfig({}), prefix) });
    const u = engine.user('amira', 'telegram');

    const greeting = await u.send('كم نقطة أحتاج لبطاقة الفرص؟');
    expect(greeting.replies[0]).toMatchObject({ language: 'ar', direction: 'rtl' });
    // Before consent: one key, the consent record and the question held for the answer, kept a day at most.
    expect(await keys()).toEqual(expect.arrayContaining([`${prefix}conv:telegram:amira`]));
    const held = JSON.parse((await redis.get(`${prefix}conv:telegram:amira`))!);
    expect(held).toMatchObject({ consent: { status: 'pending' }, turns: [], heldQuestion: 'كم نقطة أحتاج لبطاقة الفرص؟' });
    expect(await redis.ttl(`${prefix}conv:telegram:amira`)).toBeLessThanOrEqual(86_400);

    // "Yes" answers the held question at once.
    const answer = await u.send('نعم');
    expect(answer.escalation).toBeUndefined();
    const reply = answer.replies.find((r) => r.sources?.length)!;
    expect(reply.sources?.[0]?.id).toMatch(/^opportunity-card/);
    expect(reply.sourceLabels?.heading).toBe('المصادر');

    // The conversation expires after the retention period (90 days by default).
    const ttl = await redis.ttl(`${prefix}conv:telegram:amira`);
    expect(ttl).toBeGreaterThan(89 * 86_400);
    expect(ttl).toBeLessThanOrEqual(90 * 86_400);

    const advisor = await u.send('أريد التحدث مع مستشار');
    expect(advisor.escalation).toEqual({ reason: 'user_request' });
    const stored = await engine.stores.cases.get(advisor.openedCase!.id);
    expect(stored).toMatchObject({ conversationKey: 'telegram:amira', reason: 'user_request', language: 'ar', status: 'open', pool: 'default' });
    expect((await engine.stores.conversations.get('telegram:amira'))!.state).toBe('waiting');

    const erased = await u.send('/delete');
    expect(erased.erased).toBe(true);
    expect(await keys()).toEqual([]);
  });

  it('a message handled to the end is a duplicate for every engine instance (as across workers); one whose handler died is handled again', async () => {
    const stores = redisStores(redis, loadConfig({}), prefix);
    const a = await testEngine({ stores });
    const b = await testEngine({ stores });
    const message = { id: `telegram:dup:${randomUUID()}`, channel: 'telegram', userId: 'dup', kind: 'text' as const, text: 'hello', receivedAt: new Date().toISOString() };
    expect((await a.handle(message)).duplicate).toBe(false);
    expect((await b.handle(message)).duplicate).toBe(true);
    // A worker claimed this one and died mid-turn: the lane's next holder handles it (the lanes
    // guarantee one handler per conversation at a time, so the old claim is stale).
    const orphan = { ...message, id: `telegram:dup:${randomUUID()}` };
    expect(await stores.dedupe.claim(orphan.id)).toBe(true);
    const retried = await b.handle(orphan);
    expect(retried.duplicate).toBe(false);
    expect(retried.replies.length).toBeGreaterThan(0);
  });
});
