// The conversation worker alone: runs the pipeline on inbound jobs. Scale: any number of processes.
import { start } from '../src/cli/start.js';

start({ gateway: false, worker: true, sender: false });
