import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** Runs `npm run export` as an operator would (through tsx); these calls stop at the arguments and never reach Redis. */
const exportCli = (...args: string[]) => runCli('src/cli/export.ts', args);

describe('npm run export, its arguments', () => {
  it('refuses an unknown channel, a malformed user or an unknown option with a usage message and exit code 2, without a stack trace or the id', async () => {
    const unknownChannel = await exportCli('sms', '4915550001999');
    expect(unknownChannel.code).toBe(2);
    expect(unknownChannel.stderr).toContain('Unknown channel "sms": one of web, telegram, whatsapp.');
    expect(unknownChannel.stderr).toContain('usage:\n  npm run export -- <channel> <user>');
    expect(unknownChannel.stderr).not.toContain('4915550001999');

    const malformed = await exportCli('whatsapp', '+49-155-SECRET-99');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('That is not a whatsapp user: for whatsapp, the phone number with its country code');
    expect(malformed.stderr).not.toMatch(/SECRET|155/);

    const noUser = await exportCli('telegram');
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('No user given: for telegram, the chat id');

    const unknownOption = await exportCli('telegram', '123456789', '--erase');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--erase'");
    for (const result of [unknownChannel, malformed, noUser, unknownOption]) {
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).toBe('');
    }
  });

  it('prints its usage with --help', async () => {
    const help = await exportCli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--delete/);
    expect(help.stdout).toMatch(/mode 0600/);
  });
});
