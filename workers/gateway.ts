// The gateway alone: HTTP (webhooks, web chat, health, metrics) and Telegram polling. Scale: behind a load balancer.
import { start } from '../src/cli/start.js';

start({ gateway: true, worker: false, sender: false });
