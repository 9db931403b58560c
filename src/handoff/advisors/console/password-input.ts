import { LotseError } from '../../../core/errors.js';

/**
 * The password for `npm run advisor -- add`: from stdin (`--password-stdin`, or when stdin is not
 * a terminal; one line, its line break dropped), or asked for twice on the terminal without echo.
 * Never in argv, where `ps` and the shell history would show it.
 */
export async function readNewPassword(options: { fromStdin: boolean; account: string }): Promise<string> {
  const stdin = process.stdin;
  if (options.fromStdin || !stdin.isTTY) return (await readAll(stdin)).replace(/\r?\n$/, '');
  const first = await askHidden(`New password for ${options.account}: `);
  const second = await askHidden('Again, to confirm: ');
  if (first !== second) throw new LotseError('USAGE', 'The two passwords differ; nothing was changed.');
  return first;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line in raw mode, echoing nothing; Ctrl+C stops, backspace works. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new LotseError('USAGE', 'Stopped; nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
