// `npm run sender` (also workers/outbound-sender.ts): the outbound sender alone: delivers replies to
// the platforms. Scale: any number of processes.
import { start } from './start.js';

start({ gateway: false, worker: false, sender: true });
