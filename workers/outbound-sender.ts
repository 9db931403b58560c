// The outbound sender alone: delivers replies to the platforms. Scale: any number of processes.
import { start } from '../src/cli/start.js';

start({ gateway: false, worker: false, sender: true });
