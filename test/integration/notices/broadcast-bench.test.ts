import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { benchBroadcast, broadcastSection } from '../../../src/bench/broadcast-bench.js';

describe('the broadcast bench, short (npm run bench -- --part broadcast runs 10,000)', () => {
  it('200 subscribers at low limits: everyone once, no second over a limit, chatting users hardly slowed', async () => {
    const limits = { telegram: 20, telegramNotices: 10, whatsapp: 20, whatsappNotices: 10 };
    const result = await benchBroadcast({ redisUrl: inject('redisUrl'), dataDir: path.dirname(inject('indexDir')), subscribers: 200, limits, chatters: 2, askEveryMs: 1_000, baselineRounds: 5 });
    expect(result.duplicates).toBe(0);
    expect(result.missing).toBe(0);
    expect(result.telegram.notices + result.whatsapp.notices).toBe(200);
    expect(result.whatsapp.templates).toBeGreaterThan(0);
    // The platforms' limits hold, counted where the messages arrive.
    expect(result.telegram.maxInAnySecond).toBeLessThanOrEqual(limits.telegram);
    expect(result.whatsapp.maxInAnySecond).toBeLessThanOrEqual(limits.whatsapp);
    // The notices' own, lower limit (headroom for replies) too, but for the delivery's jitter on a
    // machine busy with other tests: one message at most (the slots are 2% apart beyond the limit).
    expect(result.telegram.maxNoticesInAnySecond).toBeLessThanOrEqual(limits.telegramNotices + 1);
    expect(result.whatsapp.maxNoticesInAnySecond).toBeLessThanOrEqual(limits.whatsappNotices + 1);
    // Close to the notices' limit: the rate is used, not wasted.
    expect(result.telegram.rate).toBeGreaterThan(limits.telegramNotices * 0.8);
    expect(result.whatsapp.rate).toBeGreaterThan(limits.whatsappNotices * 0.8);
    expect(result.replies.during.n).toBeGreaterThan(10);
    expect(result.replies.during.p99).toBeLessThan(1_000);
    expect(broadcastSection(result)).toMatch(/## Event notice broadcast[\s\S]*\| Telegram \| 120 \|/);
  }, 120_000);
});
