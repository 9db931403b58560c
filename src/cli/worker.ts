// `npm run worker` (also workers/conversation-worker.ts): the conversation worker alone: runs the
// pipeline on inbound jobs. Scale: any number of processes.
import { start } from './start.js';

start({ gateway: false, worker: true, sender: false });
