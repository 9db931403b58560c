import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PoolDirectory } from '../../../src/handoff/pools.js';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function poolsFile(yaml: string): Promise<string> {
  dir ??= await mkdtemp(path.join(os.tmpdir(), 'lotse-pools-unit-'));
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  return file;
}

const YAML = `
defaultPool: everyone
pools:
  - id: arabic
    name: Arabic speakers
    languages: [ar]
  - id: tunis
    name: Tunis team
    languages: [ar, fr]
    countries: [TN]
    women: [U-SAMIA]
    officeHours: { timezone: Africa/Tunis, days: [1, 2, 3, 4, 5], from: "08:00", to: "16:00" }
  - id: everyone
    name: Everyone
`;

describe('advisor pools', () => {
  it('without a file: one default pool in SLACK_ADVISOR_CHANNEL', () => {
    const pools = PoolDirectory.load(undefined, 'C-ADVISORS');
    expect(pools.route({ language: 'ar' }).pool).toMatchObject({ id: 'default', slackChannel: 'C-ADVISORS' });
  });

  it('routes to the pool that fits best: an Arabic-speaking returnee in Tunisia reaches the Tunis team', async () => {
    const pools = PoolDirectory.load(await poolsFile(YAML));
    expect(pools.route({ language: 'ar', country: 'TN' }).pool.id).toBe('tunis');
    expect(pools.route({ language: 'ar', country: 'JO' }).pool.id).toBe('arabic');
    expect(pools.route({ language: 'fr', country: 'SN' }).pool.id).toBe('everyone');
    expect(pools.route({ language: 'en' }).pool.id).toBe('everyone');
  });

  it('honours a request for a woman advisor where a fitting pool has one, and says so when none has', async () => {
    const pools = PoolDirectory.load(await poolsFile(YAML));
    expect(pools.route({ language: 'fr', country: 'TN', wantsWoman: true })).toMatchObject({ pool: { id: 'tunis' }, womanAvailable: true });
    expect(pools.route({ language: 'ar', country: 'JO', wantsWoman: true })).toMatchObject({ pool: { id: 'arabic' }, womanAvailable: false });
  });

  it("knows office hours in the pool's time zone", async () => {
    const pools = PoolDirectory.load(await poolsFile(YAML));
    expect(pools.isOpen('tunis', new Date('2026-12-01T09:00:00Z'))).toBe(true); // Tuesday 10:00 in Tunis
    expect(pools.isOpen('tunis', new Date('2026-12-01T16:30:00Z'))).toBe(false); // 17:30
    expect(pools.isOpen('tunis', new Date('2026-12-05T09:00:00Z'))).toBe(false); // Saturday
    expect(pools.isOpen('everyone', new Date('2026-12-05T09:00:00Z'))).toBe(true);
  });

  it('a wrong file stops start-up with what is wrong and how to fix it', async () => {
    const badId = await poolsFile('pools:\n  - id: Bad Id\n    name: x\n');
    const badDefault = await poolsFile('defaultPool: nope\npools:\n  - id: a\n    name: A\n');
    expect(() => PoolDirectory.load(badId)).toThrow(/pools\.0\.id: lower-case letters/);
    expect(() => PoolDirectory.load(badDefault)).toThrow(/defaultPool "nope" is not a pool/);
    expect(() => PoolDirectory.load('/nonexistent/pools.yaml')).toThrow(/cannot be read/);
  });
});
