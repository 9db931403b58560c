import type { RedisConnection } from '../infra/redis.js';
import { sendRateKey } from '../queue/send-throttle.js';

/**
 * KEYS shared next, notices' next; ARGV now, sharedStepMs, noticeStepMs, catchUpMs. Takes a slot of
 * both rates at once, only when both are free now: 0 when taken, else the ms until they may be.
 * Replies reserve the shared rate's slots ahead (SendThrottle); a notice only takes a slot nobody has
 * reserved. The notices' next slot counts from the one just taken, when that was taken at most
 * catchUpMs late (a timer firing late does not slow the notices down), else from now (no burst).
 */
const TAKE_IF_FREE = `
local now = tonumber(ARGV[1])
local shared = tonumber(redis.call('GET', KEYS[1]) or '0')
local own = tonumber(redis.call('GET', KEYS[2]) or '0')
local wait = math.max(shared - now, own - now)
if wait > 0 then return wait end
redis.call('SET', KEYS[1], tostring(now + tonumber(ARGV[2])), 'PX', 60000)
redis.call('SET', KEYS[2], tostring(math.max(own, now - tonumber(ARGV[4])) + tonumber(ARGV[3])), 'PX', 60000)
return 0`;

export interface ThrottleRates {
  /** The platform's limit for everything sent (TELEGRAM_RATE_LIMIT; WhatsApp's per-number throughput): shared with the replies. */
  platformPerSecond: number;
  /** The notices' own limit, at most the platform's: the rest stays free for replies. */
  noticesPerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pace of event notices, across every sender process. A notice takes a slot of the platform's
 * shared rate (the one SendThrottle spaces replies with) and one of the notices' own rate together,
 * and only when both are free at that moment: replies reserve their slots ahead, so a reply waits at
 * most one slot for a notice, and the platform's limit holds for replies and notices together. The
 * slots are taken when the message goes, not reserved ahead, so a process that was held up (a long
 * pause of its event loop) does not catch up in a burst.
 */
export class BroadcastThrottle {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'lotse:',
  ) {}

  /** Resolves when one notice may go out on `channel`. `stopped` ends the wait early (false is returned then). */
  async take(channel: string, rates: ThrottleRates, stopped: () => boolean = () => false): Promise<boolean> {
    const shared = sendRateKey(this.prefix, channel);
    // The notices' key carries the shared key as its hash tag: one Redis Cluster slot for both.
    const own = `${this.prefix}notices:rate:{${shared}}`;
    // 2% slower than the limit: whatever the rate, a second then has about 20 ms to spare for the
    // network's jitter, so that a platform counting messages per second never sees one too many.
    const ownStep = Math.ceil((1000 / Math.min(rates.noticesPerSecond, rates.platformPerSecond)) * 1.02);
    const sharedStep = Math.ceil(1000 / rates.platformPerSecond);
    // Within the 2% margin: a second still holds no more than the limit.
    const catchUp = Math.min(15, Math.floor(ownStep / 4));
    for (;;) {
      if (stopped()) return false;
      const wait = Number(await this.redis.eval(TAKE_IF_FREE, 2, shared, own, String(Date.now()), String(sharedStep), String(ownStep), String(catchUp)));
      if (wait <= 0) return true;
      // A little spread, so that the senders waiting for the same slot do not all ask at once.
      await sleep(Math.min(wait, 1_000) + Math.random() * 3);
    }
  }
}
