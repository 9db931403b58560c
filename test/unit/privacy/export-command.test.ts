import { describe, expect, it } from 'vitest';
import { isLotseError } from '../../../src/core/errors.js';
import type { ErasureSummary, UserDataAccess } from '../../../src/privacy/open-user-data.js';
import { runExportCommand } from '../../../src/privacy/export-command.js';
import type { UserDataExport } from '../../../src/privacy/user-data-export.js';

/** A user's data as the command sees it: what an export finds, and what an erasure reports; the calls in order. */
function fakeAccess(options: { items?: number; summary?: ErasureSummary; failWith?: Error } = {}) {
  const calls: string[] = [];
  const access: UserDataAccess = {
    async export(channel, userId) {
      calls.push(`export ${channel} ${userId}`);
      if (options.failWith) throw options.failWith;
      const doc: UserDataExport = {
        about: { document: 'x', exportedAt: '2026-12-01T00:00:00.000Z', channel, userId, retentionDays: 90, holds: [{ section: 'conversation', what: 'x', items: options.items ?? 1 }], notListed: 'x' },
        data: { conversation: options.items === 0 ? null : { userId } },
      };
      return doc;
    },
    async erase(channel, userId) {
      calls.push(`erase ${channel} ${userId}`);
      return options.summary ?? { erased: { conversation: 1, cases: 2 }, left: {} };
    },
    async close() {
      calls.push('close');
    },
  };
  return { access, calls };
}

async function run(argv: string[], access = fakeAccess().access) {
  const out: string[] = [];
  const err: string[] = [];
  let opened = false;
  const code = await runExportCommand(argv, {
    open: async () => {
      opened = true;
      return access;
    },
    out: (text) => out.push(text),
    err: (line) => err.push(line),
  });
  return { code, out: out.join(''), err: err.join('\n'), opened };
}

async function usageError(argv: string[]) {
  let opened = false;
  const error = await runExportCommand(argv, {
    open: async () => {
      opened = true;
      return fakeAccess().access;
    },
    out: () => undefined,
    err: () => undefined,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLotseError(error, 'USAGE')).toBe(true);
  expect(opened).toBe(false);
  return (error as Error).message;
}

describe('npm run export -- <channel> <user>', () => {
  it('checks the channel and the user before it opens anything, and never repeats the id', async () => {
    expect(await usageError([])).toMatch(/^No channel given\./);
    expect(await usageError(['signal', '123'])).toMatch(/^Unknown channel "signal": one of web, telegram, whatsapp\./);
    expect(await usageError(['telegram'])).toMatch(/^No user given: for telegram, the chat id/);
    const malformed = await usageError(['telegram', 'secret-name']);
    expect(malformed).toMatch(/^That is not a telegram user/);
    expect(malformed).not.toContain('secret-name');
    expect(await usageError(['web', 'abc'])).toMatch(/^That is not a web user: for web, the session id/);
    expect(await usageError(['telegram', '123', '--out', ''])).toMatch(/--out needs a file name/);
    expect(await usageError(['telegram', '123', '--wipe'])).toMatch(/Unknown option '--wipe'/);
  });

  it('prints the JSON export to stdout; a phone number may be typed with + and spaces', async () => {
    const { access, calls } = fakeAccess();
    const result = await run(['whatsapp', '+49', '176', '1234', '5678'], access);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ about: { channel: 'whatsapp', userId: '4917612345678' } });
    expect(result.err).toBe('');
    expect(calls).toEqual(['export whatsapp 4917612345678', 'close']);
  });

  it('says so when Lotse holds nothing', async () => {
    const result = await run(['telegram', '123456'], fakeAccess({ items: 0 }).access);
    expect(result.err).toBe('Lotse holds nothing about the user (every section is empty).');
  });

  it('--delete erases and prints counts only; with --out it exports first', async () => {
    const { access, calls } = fakeAccess();
    const result = await run(['telegram', '123456', '--delete'], access);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe('Erased what Lotse held about the user, as "delete" does:\n  conversation: 1\n  cases: 2\nChecked afterwards: nothing is left.\n');
    expect(calls).toEqual(['erase telegram 123456', 'close']);
    expect(result.out).not.toContain('123456');
  });

  it('--delete that finds something left says which sections, exit code 1', async () => {
    const result = await run(['telegram', '123456', '--delete'], fakeAccess({ summary: { erased: { conversation: 1 }, left: { conversation: 1 } } }).access);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Still found after erasing: conversation \(1\)\. .*run the command again\.$/);
  });

  it("tells a Redis failure without the user's id, exit code 1", async () => {
    const result = await run(['telegram', '987654321'], fakeAccess({ failWith: new Error('WRONGTYPE at lotse:conv:telegram:987654321') }).access);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Could not export the user's data: Error: WRONGTYPE at lotse:conv:telegram:<the user>/);
    expect(result.err).not.toContain('987654321');
  });
});
