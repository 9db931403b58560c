import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CHANNELS } from '../channels/registry.js';
import { LotseError } from '../core/errors.js';
import type { UserDataAccess } from './open-user-data.js';

export const EXPORT_USAGE = `usage:
  npm run export -- <channel> <user> [--out <file>]     everything Lotse holds about the user, as JSON
  npm run export -- <channel> <user> --delete [--out <file>]
                                                        erases it all, as the user's "delete" does, and prints
                                                        what was erased (counts only); with --out, exports first
channel and user:
${CHANNELS.map((channel) => `  ${channel.name.padEnd(9)} ${channel.userData.userIdForm}`).join('\n')}
The JSON goes to stdout, or with --out to a new file only its owner can read (mode 0600).`;

const usage = (problem: string) => new LotseError('USAGE', `${problem}\n${EXPORT_USAGE}`);

export interface ExportCommandIo {
  /** Opens the service's data (Redis); called only once the arguments are right. */
  open(): Promise<UserDataAccess>;
  /** Standard output: the JSON, or the summary of an erasure. */
  out(text: string): void;
  /** Standard error: what was done, never the user's id nor anything of theirs. */
  err(line: string): void;
}

/**
 * `npm run export -- <channel> <user> [--out <file>] [--delete]`: the exit code. A data protection
 * officer's tools for a request of access (the JSON) and of erasure (--delete). Messages say "the
 * user", never their id: a terminal's scrollback and a CI log are logs too.
 */
export async function runExportCommand(argv: string[], io: ExportCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, delete: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    // parseArgs names the option it did not know; an argument is never a user id here.
    throw usage((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  if (parsed.values.help) {
    io.out(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const [channelName, ...userParts] = parsed.positionals;
  if (!channelName) throw usage('No channel given.');
  const channel = CHANNELS.find((known) => known.name === channelName);
  if (!channel) throw usage(`Unknown channel "${channelName.slice(0, 20)}": one of ${CHANNELS.map((known) => known.name).join(', ')}.`);
  if (userParts.length === 0) throw usage(`No user given: for ${channel.name}, ${channel.userData.userIdForm}.`);
  // A phone number typed with spaces arrives in parts.
  const userId = channel.userData.parseUserId(userParts.join(' '));
  if (!userId) throw usage(`That is not a ${channel.name} user: for ${channel.name}, ${channel.userData.userIdForm}.`);
  const file = parsed.values.out;
  if (file !== undefined && file.trim() === '') throw usage('--out needs a file name.');

  let access: UserDataAccess | undefined;
  try {
    access = await io.open();
    if (file !== undefined || !parsed.values.delete) {
      const exported = await access.export(channel.name, userId);
      const json = `${JSON.stringify(exported, null, 2)}\n`;
      const items = exported.about.holds.reduce((sum, held) => sum + held.items, 0);
      if (file === undefined) io.out(json);
      else {
        await writePrivateFile(file, json);
        io.err(`Wrote what Lotse holds about the user to ${file} (${items} item(s) in ${exported.about.holds.filter((held) => held.items > 0).length} of ${exported.about.holds.length} sections; readable by its owner only).`);
      }
      if (!parsed.values.delete && items === 0) io.err('Lotse holds nothing about the user (every section is empty).');
    }
    if (!parsed.values.delete) return 0;
    const { erased, left } = await access.erase(channel.name, userId);
    const lines = Object.entries(erased).map(([section, count]) => `  ${section}: ${count}`);
    io.out(lines.length > 0 ? `Erased what Lotse held about the user, as "delete" does:\n${lines.join('\n')}\n` : 'Lotse held nothing about the user; nothing to erase.\n');
    if (Object.keys(left).length === 0) {
      io.out('Checked afterwards: nothing is left.\n');
      return 0;
    }
    io.err(`Still found after erasing: ${Object.entries(left).map(([section, count]) => `${section} (${count})`).join(', ')}. The user may have written at that very moment: run the command again.`);
    return 1;
  } catch (error) {
    if (error instanceof LotseError) throw error;
    // Redis's errors are told without anything that could name the user.
    io.err(`Could not ${parsed.values.delete ? 'erase' : 'export'} the user's data: ${describeFailure(error, userId)}\n  How to fix: check that Redis is reachable (REDIS_URL) and run the command again.`);
    return 1;
  } finally {
    await access?.close().catch(() => undefined);
  }
}

/** Writes a new file that only its owner can read; an existing one is refused, never overwritten with someone's data. */
async function writePrivateFile(file: string, text: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw usage(`--out ${file}: the file exists; choose a new name (an export is never written over another file).`);
    throw usage(`--out ${file}: cannot create it (${code ?? 'error'}).`);
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

function describeFailure(error: unknown, userId: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split(userId).join('<the user>').replace(/\d{5,}/g, '<number>').slice(0, 200);
}
