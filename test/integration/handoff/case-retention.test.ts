import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { NewCase } from '../../../src/core/case.js';
import { CaseRepository } from '../../../src/handoff/case-repository.js';
import { HandoffService } from '../../../src/handoff/handoff-service.js';
import { Messages } from '../../../src/i18n/i18n.js';
import { I18nTranslator } from '../../../src/i18n/translator.js';
import { poolDirectory } from '../../helpers/memory-handoff-console.js';
import { deleteKeys } from '../../helpers/redis-keys.js';

const redis = new Redis(inject('redisUrl'));
const prefix = `test:case-retention:${randomUUID()}:`;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const DAY = 86_400;
const repository = new CaseRepository(redis, prefix, 90);
const service = new HandoffService({ repository, pools: poolDirectory([{ id: 'general' }], 'general'), translator: new I18nTranslator(Messages.create()) });
const newCase = (): NewCase => ({ conversationKey: `web:${randomUUID()}`, channel: 'web', userId: randomUUID(), language: 'en', reason: 'user_request', priority: 'normal', brief: 'brief' });

describe('how long a case is kept (on Redis)', () => {
  it('keeps the case, its history and the list erasure finds it by for the retention period from its last event, all together', async () => {
    const opened = await service.open(newCase());
    const keys = [`${prefix}case:{${opened.id}}`, `${prefix}case:{${opened.id}}:state`, `${prefix}case:{${opened.id}}:events`, `${prefix}cases-of:${opened.conversationKey}`];
    // Eighty days on (as far as the keys know), the user writes again while the case waits.
    for (const key of keys) await redis.expire(key, 10 * DAY);
    await service.record(opened, { type: 'user_message', text: 'still waiting' }, 'u-1');
    for (const key of keys) expect(await redis.ttl(key), key).toBeGreaterThan(89 * DAY);
    expect(await repository.caseIdsOf(opened.conversationKey)).toEqual([opened.id]);
  });

  it('forgets a queued case that expired with its retention period: its id leaves the pool queue too', async () => {
    const kept = await service.open(newCase());
    const expired = await service.open(newCase());
    await redis.del(`${prefix}case:{${expired.id}}`, `${prefix}case:{${expired.id}}:state`);
    const listed = (await service.list(['general'])).map((c) => c.id);
    expect(listed).toContain(kept.id);
    expect(listed).not.toContain(expired.id);
    const queued = await redis.zrange(`${prefix}pool:general:cases`, 0, -1);
    expect(queued).toContain(kept.id);
    expect(queued).not.toContain(expired.id);
  });
});
