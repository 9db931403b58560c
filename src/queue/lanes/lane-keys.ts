import { createHash } from 'node:crypto';

/** A short, stable hash (hex) of a string: lane hash tags and job ids carry no raw chat id. */
export function shortHash(text: string, length = 16): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

/**
 * The Redis keys of one lane (one conversation inbound, one chat outbound). All of them share the
 * hash tag `{hash}`, so that a Lua script touching several stays within one Redis Cluster slot.
 */
export class LaneKeys {
  readonly hash: string;
  readonly base: string;

  constructor(
    prefix: string,
    readonly kind: string,
    readonly lane: string,
  ) {
    this.hash = shortHash(lane);
    this.base = `${prefix}lane:${kind}:{${this.hash}}`;
  }

  /** FIFO list of the lane's items (JSON). */
  get items(): string {
    return `${this.base}:items`;
  }

  /** Hash: the lane's key, the head's attempts, and readyAt (no item before this time). */
  get meta(): string {
    return `${this.base}:meta`;
  }

  /** The holder's token, with a lease that the holder renews. */
  get lock(): string {
    return `${this.base}:lock`;
  }

  /**
   * The item ids pushed lately (a sorted set, score: when each is forgotten): a redelivered platform
   * message or a repeated reply adds nothing. One key per lane, not one per item.
   */
  get seen(): string {
    return `${this.base}:seen`;
  }

  /** An item id's own marker, as lanes kept them before `seen` (still honoured until they expire). */
  legacySeen(itemId: string): string {
    return `${this.base}:seen:${itemId}`;
  }

  /** Per-minute counter of pushes (flood limit). */
  rate(window: number): string {
    return `${this.base}:rate:${window}`;
  }

  /** Per-part delivery markers of one outbound item, while it is in the lane (deleted with it). */
  parts(itemId: string): string {
    return `${this.base}:parts:${itemId}`;
  }

  /** SCAN pattern of every key of this lane (erasure). */
  get pattern(): string {
    return `${this.base.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  }
}
