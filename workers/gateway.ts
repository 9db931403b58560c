// The gateway alone, run from the sources (node --import tsx workers/gateway.ts; the fault tests do).
// npm run gateway and Docker run the compiled dist/cli/gateway.js: the same code.
import '../src/cli/gateway.js';
