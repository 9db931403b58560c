// `npm run gateway` (also workers/gateway.ts): the gateway alone: HTTP (webhooks, web chat, health,
// metrics) and Telegram polling. Scale: behind a load balancer.
import { start } from './start.js';

start({ gateway: true, worker: false, sender: false });
