import { isCluster, type RedisConnection } from '../infra/redis.js';

/** BullMQ queue names, in one place. Inbound and outbound carry wake-ups for lanes; typing is best effort. */
export const QUEUES = {
  inbound: 'inbound',
  outbound: 'outbound',
  typing: 'typing',
} as const;

/** Lane families: one inbound lane per conversation, one outbound lane per chat. */
export const LANES = {
  inbound: 'in',
  outbound: 'out',
} as const;

/**
 * A queue's name as BullMQ gets it. BullMQ's scripts touch several keys of a queue at once
 * (`<prefix>:<name>:wait`, `…:meta`, …), which a Redis Cluster allows only within one slot: there the
 * name is a hash tag (`bull:{inbound}:wait`), so each queue lies whole in one slot and different
 * queues spread over the masters. On a single Redis the names stay as they always were, so its
 * queued jobs need no migration.
 */
export function bullQueueName(name: string, connection: RedisConnection): string {
  return isCluster(connection) ? `{${name}}` : name;
}

/**
 * BullMQ's event stream of each queue is trimmed to about this many entries (its default is
 * 10,000). Nothing in Lotse reads the events; a few remain for inspection.
 */
export const EVENTS_MAX_LENGTH = 100;
