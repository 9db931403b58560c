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
const prefix = `test:raise:${randomUUID()}:`;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const service = new HandoffService({
  repository: new CaseRepository(redis, prefix, 1),
  pools: poolDirectory([{ id: 'general' }], 'general'),
  translator: new I18nTranslator(Messages.create()),
});
const newCase = (reason: NewCase['reason']): NewCase => ({
  conversationKey: `web:${randomUUID()}`,
  channel: 'web',
  userId: randomUUID(),
  language: 'en',
  reason,
  priority: reason === 'safety' ? 'urgent' : 'normal',
  brief: 'brief',
});

describe('a waiting case the user then writes about danger in (on Redis)', () => {
  it('becomes an urgent safety case with its kind of danger, moves ahead of older cases, and the advisors see why', async () => {
    const older = await service.open(newCase('user_request'));
    const waiting = await service.open(newCase('low_confidence'));
    expect((await service.list(['general'])).map((c) => c.id)).toEqual([older.id, waiting.id]);

    await service.raiseToSafety(waiting, 'medical_emergency');
    const raised = await service.get(waiting.id);
    expect(raised).toMatchObject({ priority: 'urgent', reason: 'safety', danger: 'medical_emergency', status: 'open' });
    expect((await service.list(['general'])).map((c) => c.id)).toEqual([waiting.id, older.id]);
    const events = await service.events(waiting.id);
    expect(events.at(-1)).toMatchObject({ type: 'raised', danger: 'medical_emergency' });

    // Raising again changes nothing and adds no second event.
    await service.raiseToSafety(raised!, 'violence');
    expect(await service.get(waiting.id)).toMatchObject({ danger: 'medical_emergency' });
    expect((await service.events(waiting.id)).filter((e) => e.type === 'raised')).toHaveLength(1);
  });

  it('keeps a held case with its advisor while it becomes urgent', async () => {
    const held = await service.open(newCase('sensitive'));
    const advisor = { id: 'a1', name: 'Amina', via: 'console' as const };
    expect((await service.claim(held.id, advisor)).ok).toBe(true);
    await service.raiseToSafety((await service.get(held.id))!, 'violence');
    expect(await service.get(held.id)).toMatchObject({ status: 'claimed', priority: 'urgent', reason: 'safety', claimedBy: advisor });
    expect((await service.list(['general'], ['open'])).map((c) => c.id)).not.toContain(held.id);
  });
});
