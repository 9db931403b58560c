// The npm scripts' launcher: `node scripts/run.mjs cli/start.js [args]` runs the compiled entry
// point dist/cli/start.js with node alone (no TypeScript loader). First it checks that dist/ was
// built from exactly the files under src/ now (sizes and mtimes: a few milliseconds) and, if not,
// compiles what changed (well under a second for a few files): a stale dist/ is never run. Docker
// runs dist/ directly (`node dist/cli/start.js`): its image is built from its own sources.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { ROOT, build, isFresh } from './build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs cli/<name>.js [args]');
  process.exit(2);
}
if (!isFresh()) {
  try {
    // (Only files that are not compiled changed, such as the benchmarks: nothing to say.)
    build({ log: (line) => /: 0 compiled, 0 copied, 0 removed/.test(line) || console.error(`(sources changed since the last build; ${line})`) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
const file = path.join(ROOT, 'dist', entry);
// As if node had been started on the entry point itself (entry points check process.argv[1]; parseArgs reads the rest).
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
