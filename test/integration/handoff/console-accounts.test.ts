import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { isLotseError } from '../../../src/core/errors.js';
import { runAdvisorCommand, type AdvisorCommandIo } from '../../../src/handoff/advisors/console/account-commands.js';
import { AdvisorAccounts } from '../../../src/handoff/advisors/console/accounts.js';
import { verifyPassword } from '../../../src/handoff/advisors/console/passwords.js';
import { ConsoleSessions } from '../../../src/handoff/advisors/console/sessions.js';
import { deleteKeys, scanKeys } from '../../helpers/redis-keys.js';

const prefix = `console-accounts-${randomUUID().slice(0, 8)}:`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  await redis.quit();
});

/** Runs a command as `npm run advisor -- …` would: the exit code and what it printed; the password given is the one "typed". */
async function advisor(argv: string[], password = 'correct horse battery', extra: Partial<AdvisorCommandIo> = {}) {
  const out: string[] = [];
  const asked: { fromStdin: boolean; account: string }[] = [];
  const code = await runAdvisorCommand(argv, {
    redis,
    prefix,
    readPassword: async (options) => (asked.push(options), password),
    out: (line) => out.push(line),
    ...extra,
  });
  return { code, out, asked };
}

describe('npm run advisor (the CLI functions) on Redis', () => {
  it('adds an advisor with pools, display name and flags, storing an argon2id hash only', async () => {
    const added = await advisor(['add', 'amira', '--pools', 'tunis,general', '--display', 'Amira B.', '--woman', '--password-stdin']);
    expect(added.code).toBe(0);
    expect(added.out).toEqual(['Added advisor "amira" (Amira B.) in pools tunis, general [woman].']);
    expect(added.asked).toEqual([{ fromStdin: true, account: 'amira' }]);
    const stored = await new AdvisorAccounts(redis, prefix).find('amira');
    expect(stored).toMatchObject({ name: 'amira', displayName: 'Amira B.', pools: ['tunis', 'general'], role: 'advisor', woman: true });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(verifyPassword(stored!.passwordHash, 'correct horse battery')).resolves.toBe(true);
    const raw = await redis.hgetall(`${prefix}console:account:amira`);
    expect(JSON.stringify(raw)).not.toContain('correct horse battery');
  });

  it('asks for the password on the terminal without --password-stdin', async () => {
    const added = await advisor(['add', 'jon', '--pools', 'general', '--admin']);
    expect(added.code).toBe(0);
    expect(added.asked).toEqual([{ fromStdin: false, account: 'jon' }]);
    expect(added.out).toEqual(['Added advisor "jon" (jon) in pools general [admin].']);
  });

  it('lists accounts by name and never prints a hash', async () => {
    const listed = await advisor(['list']);
    expect(listed.out).toEqual(['"amira" (Amira B.) in pools tunis, general [woman]', '"jon" (jon) in pools general [admin]']);
    const json = await advisor(['list', '--json']);
    const accounts = JSON.parse(json.out[0]!) as Record<string, unknown>[];
    expect(accounts.map((a) => a.name)).toEqual(['amira', 'jon']);
    expect(json.out.join('\n')).not.toMatch(/argon2|passwordHash/);
  });

  it('refuses a second add of one name, a weak password, bad names and pools, with the usage', async () => {
    const refusals: [string[], RegExp, string?][] = [
      [['add', 'amira', '--pools', 'tunis'], /exists already.*--replace/s],
      [['add', 'nadia', '--pools', 'tunis'], /at least 12 characters/, 'short'],
      [['add', 'Nadia Name', '--pools', 'tunis'], /cannot be a name/],
      [['add', 'nadia'], /--pools: give at least one pool/],
      [['add', 'nadia', '--pools', 'Tunis!'], /pool ids are lower-case/],
      [['add', 'nadia', '--pools', 'tunis', '--colour', 'red'], /Unknown option '--colour'/],
      [['remove'], /No advisor name given/],
      [['rename', 'x'], /Unknown command "rename"/],
      [[], /No command given/],
    ];
    for (const [argv, message, password] of refusals) {
      const error = await advisor(argv, password).catch((e: unknown) => e);
      expect(isLotseError(error, 'USAGE'), argv.join(' ')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain('usage:');
    }
    const unknownPool = await advisor(['add', 'nadia', '--pools', 'nowhere'], undefined, { knownPools: ['tunis', 'general'] }).catch((e: unknown) => e);
    expect((unknownPool as Error).message).toMatch(/no pool nowhere in the pools file/);
    expect((await advisor(['list'])).out).toHaveLength(2);
  });

  it('replaces an account with --replace and ends its sessions', async () => {
    const sessions = new ConsoleSessions(redis, prefix);
    const { id } = await sessions.create('amira');
    const replaced = await advisor(['add', 'amira', '--pools', 'tunis', '--display', 'Amira', '--replace'], 'a new password 2');
    expect(replaced.out).toEqual(['Saved advisor "amira" (Amira) in pools tunis; ended 1 session(s).']);
    await expect(sessions.read(id)).resolves.toBeUndefined();
    const stored = await new AdvisorAccounts(redis, prefix).find('amira');
    await expect(verifyPassword(stored!.passwordHash, 'a new password 2')).resolves.toBe(true);
    expect(stored!.woman).toBe(false);
  });

  it('removes an account and its sessions, and says so when there is none', async () => {
    const sessions = new ConsoleSessions(redis, prefix);
    const { id } = await sessions.create('jon');
    expect(await advisor(['remove', 'jon'])).toMatchObject({ code: 0, out: ['Removed advisor "jon" and ended 1 session(s).'] });
    await expect(sessions.read(id)).resolves.toBeUndefined();
    expect(await advisor(['remove', 'jon'])).toMatchObject({ code: 1, out: ['There is no advisor "jon".'] });
    expect((await advisor(['list'])).out).toEqual(['"amira" (Amira) in pools tunis']);
    expect(await advisor(['remove', 'amira'])).toMatchObject({ code: 0 });
    expect((await advisor(['list'])).out).toEqual(['No advisor accounts yet. Add one with: npm run advisor -- add <name> --pools <pool>']);
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([]);
  });
});
