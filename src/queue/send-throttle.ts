import type { RedisConnection } from '../infra/redis.js';
import { LaneScripts } from './lanes/lane-scripts.js';

/** The key of a platform's shared rate (the next free slot): replies and event notices take their slots from it. */
export const sendRateKey = (prefix: string, channel: string) => `${prefix}rate:${channel}`;

/**
 * A platform's overall sending rate, shared by every sender process through Redis: each send
 * reserves the next free slot (slots spaced 1/rate apart) and waits for it, so bursts never exceed
 * the rate and no 429 is needed to find the limit.
 */
export class SendThrottle {
  private readonly scripts: LaneScripts;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'lotse:',
  ) {
    this.scripts = new LaneScripts(redis);
  }

  /** Resolves when a message may go out on `channel` at `perSecond`. */
  async take(channel: string, perSecond: number): Promise<void> {
    const wait = await this.scripts.run<number>('rateReserve', [sendRateKey(this.prefix, channel)], [Date.now(), Math.ceil(1000 / perSecond)]);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
