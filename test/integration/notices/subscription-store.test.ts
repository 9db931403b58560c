import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { NoticeStore } from '../../../src/notices/notice-store.js';
import { RedisNoticeSubscriptions } from '../../../src/notices/subscription-store.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

let redis: Redis;
let prefix: string;
let subscriptions: RedisNoticeSubscriptions;
const NOW = new Date('2026-03-01T10:00:00Z');

beforeEach(() => {
  redis = new Redis(inject('redisUrl'));
  prefix = `notices-subs-${randomUUID().slice(0, 8)}:`;
  subscriptions = new RedisNoticeSubscriptions(redis, prefix);
});
afterEach(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const subscribe = (userId: string, channel = 'telegram', extra: Partial<Parameters<RedisNoticeSubscriptions['subscribe']>[0]> = {}, now = new Date()) =>
  subscriptions.subscribe({ conversationKey: `${channel}:${userId}`, channel, userId, language: 'en', ...extra }, now);

async function walk(channel: string): Promise<string[]> {
  const all: string[] = [];
  for await (const page of subscriptions.pages(channel)) all.push(...page);
  return all;
}

describe('event notice subscriptions in Redis', () => {
  it('keeps the profile, renews the year on a second opt-in (keeping the first time), follows profile changes, and ends on opt-out', async () => {
    const first = await subscribe('1', 'telegram', { language: 'fr', country: 'SN', audience: 'returnee' }, NOW);
    expect(first).toMatchObject({ conversationKey: 'telegram:1', language: 'fr', country: 'SN', audience: 'returnee', optedInAt: NOW.toISOString(), expiresAt: '2027-03-01T10:00:00.000Z' });
    const later = new Date(NOW.getTime() + 86_400_000);
    const again = await subscribe('1', 'telegram', { language: 'fr', country: 'SN', audience: 'returnee' }, later);
    expect(again).toMatchObject({ optedInAt: NOW.toISOString(), confirmedAt: later.toISOString(), expiresAt: '2027-03-02T10:00:00.000Z' });
    await subscriptions.update('telegram:1', { language: 'de', country: undefined, audience: 'prospective' });
    expect(await subscriptions.get('telegram:1')).toMatchObject({ language: 'de', country: undefined, audience: 'prospective' });
    await subscriptions.update('telegram:2', { language: 'de' });
    expect(await subscriptions.get('telegram:2')).toBeUndefined();
    expect(await subscriptions.unsubscribe('telegram:1')).toBe(true);
    expect(await subscriptions.unsubscribe('telegram:1')).toBe(false);
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  });

  it('expires a year after the latest opt-in, in Redis too', async () => {
    await subscribe('3', 'whatsapp');
    const ttl = await redis.pttl(`${prefix}notices:sub:whatsapp:3`);
    expect(ttl).toBeGreaterThan(364 * 86_400_000);
    expect(ttl).toBeLessThanOrEqual(365 * 86_400_000);
  });

  it('walks a channel’s subscribers page by page, each once, also across equal end times and removals on the way', async () => {
    const at = new Date();
    // 450 subscribers, many of them ending at the very same millisecond.
    for (let i = 0; i < 450; i++) await subscribe(String(i), 'telegram', {}, i % 3 === 0 ? at : new Date(at.getTime() + i));
    await subscribe('w', 'whatsapp');
    const seen: string[] = [];
    let removed = false;
    for await (const page of subscriptions.pages('telegram')) {
      seen.push(...page);
      if (!removed) {
        removed = true;
        // Opt-outs while a sending walks: nobody else is left out.
        for (const key of page.slice(0, 50)) await subscriptions.unsubscribe(key);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(Array.from({ length: 450 }, (_, i) => `telegram:${i}`).sort());
    expect(await walk('whatsapp')).toEqual(['whatsapp:w']);
    expect(await walk('web')).toEqual([]);
  });

  it('is an erasure participant: "delete" removes the subscription and the record of the notices sent; the export shows both', async () => {
    await subscribe('9', 'telegram', { language: 'ar', country: 'JO' });
    const store = new NoticeStore(redis, prefix);
    const notice = { id: 'abc123abc123', title: 'Job fair', titles: {}, startsAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: 'Asia/Amman', link: 'https://example.org/f', countries: 'all' as const, languages: 'all' as const, audience: 'both' as const, createdBy: 'staff1', createdAt: new Date().toISOString(), status: 'scheduled' as const };
    await store.create(notice);
    await store.transition(notice, 'announce', 'telegram:9', 'waiting');
    await store.transition(notice, 'announce', 'telegram:9', 'sending');
    await store.transition(notice, 'announce', 'telegram:9', 'sent');
    expect(subscriptions.holds).toMatch(/a year at most/);
    expect(await subscriptions.export('telegram:9')).toEqual({
      subscription: expect.objectContaining({ channel: 'telegram', userId: '9', language: 'ar', country: 'JO' }),
      received: [{ notice: 'abc123abc123', title: 'Job fair', startsAt: notice.startsAt, sending: 'announce', state: 'sent' }],
    });
    await subscriptions.erase('telegram:9');
    expect(await subscriptions.export('telegram:9')).toBeUndefined();
    expect(JSON.stringify(await redis.hgetall(`${prefix}notices:{abc123abc123}:announce`))).not.toContain('telegram:9');
    // The counts stay: they name nobody.
    expect((await store.get('abc123abc123'))!.announce).toMatchObject({ matched: 1, sent: 1 });
  });
});
