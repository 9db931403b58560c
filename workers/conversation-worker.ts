// The conversation worker alone, run from the sources (node --import tsx workers/conversation-worker.ts;
// the fault tests do). npm run worker and Docker run the compiled dist/cli/worker.js: the same code.
import '../src/cli/worker.js';
