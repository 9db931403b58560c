// The outbound sender alone, run from the sources (node --import tsx workers/outbound-sender.ts; the
// fault tests do). npm run sender and Docker run the compiled dist/cli/sender.js: the same code.
import '../src/cli/sender.js';
