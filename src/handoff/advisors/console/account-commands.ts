import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { LotseError } from '../../../core/errors.js';
import { AccountExistsError, AdvisorAccounts, accountNameSchema, newAccountSchema, type AdvisorAccount } from './accounts.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { ConsoleSessions } from './sessions.js';

export const ADVISOR_USAGE = `usage:
  npm run advisor -- add <name> --pools a,b [--display "Name"] [--admin | --staff] [--woman] [--password-stdin] [--replace]
  npm run advisor -- remove <name>
  npm run advisor -- list [--json]
The password is asked for without echo, or read from stdin (--password-stdin, or when stdin is not a terminal).`;

/** What the commands need from the outside: Redis, and how to get a password and say things. */
export interface AdvisorCommandIo {
  redis: Redis;
  prefix: string;
  /** The new password: from stdin when `fromStdin`, else asked for (twice, without echo). */
  readPassword(options: { fromStdin: boolean; account: string }): Promise<string>;
  out(line: string): void;
  /** The pools that exist (from the pools file), when known: others are refused. */
  knownPools?: string[];
}

const usage = (problem: string) => new LotseError('USAGE', `${problem}\n${ADVISOR_USAGE}`);

/** `npm run advisor -- add|remove|list`: the exit code. Prints no password and no hash, ever. */
export async function runAdvisorCommand(argv: string[], io: AdvisorCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pools: { type: 'string' },
        display: { type: 'string' },
        admin: { type: 'boolean' },
        staff: { type: 'boolean' },
        woman: { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
        replace: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const [command, name, ...rest] = parsed.positionals;
  if (rest.length > 0) throw usage(`Unexpected: ${rest.join(' ')}`);
  const accounts = new AdvisorAccounts(io.redis, io.prefix);
  const sessions = new ConsoleSessions(io.redis, io.prefix);
  const values = parsed.values;
  switch (command) {
    case 'add': {
      const account = checkName(name);
      if (values.admin && values.staff) throw usage('--admin and --staff: give one role (an admin sees the statistics and notices too).');
      const pools = (values.pools ?? '').split(',').map((pool) => pool.trim()).filter(Boolean);
      const input = newAccountSchema.safeParse({ name: account, displayName: values.display ?? account, pools, role: values.admin ? 'admin' : values.staff ? 'staff' : 'advisor', woman: values.woman ?? false });
      if (!input.success) throw usage(input.error.issues.map((issue) => `${issue.path.join('.') === 'pools' ? '--pools' : issue.path.join('.')}: ${issue.message}`).join('\n'));
      const unknown = io.knownPools ? pools.filter((pool) => !io.knownPools!.includes(pool)) : [];
      if (unknown.length > 0) throw usage(`--pools: no pool ${unknown.join(', ')} in the pools file (there are: ${io.knownPools!.join(', ')})`);
      const password = await io.readPassword({ fromStdin: values['password-stdin'] ?? false, account });
      const problem = passwordProblem(password);
      if (problem) throw usage(`Not added: ${problem}.`);
      let added: AdvisorAccount;
      try {
        added = await accounts.add(input.data, await hashPassword(password), { replace: values.replace ?? false });
      } catch (error) {
        if (error instanceof AccountExistsError) throw usage(`Not added: ${error.message}. Use --replace to set a new password, pools and flags (it signs the advisor out), or remove it first.`);
        throw error;
      }
      // A new password ends the sessions signed in with the old one.
      const ended = values.replace ? await sessions.endAll(account) : 0;
      io.out(`${values.replace ? 'Saved' : 'Added'} advisor ${describe(added)}${ended > 0 ? `; ended ${ended} session(s)` : ''}.`);
      return 0;
    }
    case 'remove': {
      const account = checkName(name);
      const removed = await accounts.remove(account);
      const ended = await sessions.endAll(account);
      if (!removed) {
        io.out(`There is no advisor "${account}".`);
        return 1;
      }
      io.out(`Removed advisor "${account}"${ended > 0 ? ` and ended ${ended} session(s)` : ''}.`);
      return 0;
    }
    case 'list': {
      if (name !== undefined) throw usage(`list takes no name`);
      const all = await accounts.list();
      if (values.json) io.out(JSON.stringify(all));
      else if (all.length === 0) io.out('No advisor accounts yet. Add one with: npm run advisor -- add <name> --pools <pool>');
      else for (const account of all) io.out(describe(account));
      return 0;
    }
    default:
      throw usage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
  }
}

function checkName(name: string | undefined): string {
  if (name === undefined) throw usage('No advisor name given.');
  const parsed = accountNameSchema.safeParse(name);
  if (!parsed.success) throw usage(`"${name}" cannot be a name: ${parsed.error.issues[0]?.message}.`);
  return parsed.data;
}

/** One line per account: never the hash. */
function describe(account: AdvisorAccount): string {
  const flags = [account.role === 'advisor' ? '' : account.role, account.woman ? 'woman' : ''].filter(Boolean);
  return `"${account.name}" (${account.displayName}) ${account.pools.length > 0 ? `in pools ${account.pools.join(', ')}` : 'in no pool'}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`;
}
