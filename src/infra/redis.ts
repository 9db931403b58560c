import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { LotseError } from '../core/errors.js';

/**
 * A connection to one Redis or to a Redis Cluster. ioredis' two clients share their command methods
 * (its Commander), so code that only sends commands takes either. What differs on a cluster: keys
 * used together in one command, MULTI or script must share a hash tag (`{…}`), and SCAN sees one
 * node's keys only (scanKeys below visits every master).
 */
export type RedisConnection = Redis | Cluster;

/**
 * Workers block and must never give up on a command (maxRetriesPerRequest null, as BullMQ requires);
 * producers fail fast, so that a webhook can answer 503 at once when Redis is down instead of
 * hanging; clients retry a little.
 */
export type RedisRole = 'worker' | 'producer' | 'client';

function roleOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }
      : { maxRetriesPerRequest: 2, connectTimeout: 2_000 };
}

/** A connection of its role to one Redis (not a cluster). */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  return new Redis(url, { lazyConnect: false, ...roleOptions(role), ...extra });
}

/**
 * A connection of its role to a Redis Cluster, seeded from the one node REDIS_URL names (the
 * others are learnt from it). The URL's user, password and TLS (`rediss://`) apply to every node.
 */
export function createRedisCluster(url: string, role: RedisRole): Cluster {
  const parsed = new URL(url);
  const database = Number(parsed.pathname.replace(/^\//, '') || '0');
  if (database !== 0) {
    throw new LotseError('CONFIG_INVALID', `REDIS_URL names database ${database}, but a Redis Cluster has only database 0.`, { hint: 'drop the /<number> at the end of REDIS_URL' });
  }
  const { enableOfflineQueue, ...perNode } = roleOptions(role);
  const tls = parsed.protocol === 'rediss:';
  const options: ClusterOptions = {
    redisOptions: {
      ...perNode,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(tls ? { tls: {} } : {}),
    },
    // The producer's fail-fast applies to the cluster as a whole (ioredis always queues per node).
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableReadyCheck: true,
    // With TLS, nodes are reached by the names they announce, so that their certificates match.
    ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
  };
  return new Cluster([{ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379) }], options);
}

/** A connection of its role: to the cluster when `cluster`, else to the one Redis. */
export function connectRedis(url: string, role: RedisRole, cluster: boolean): RedisConnection {
  return cluster ? createRedisCluster(url, role) : createRedis(url, role);
}

/**
 * Whether REDIS_URL names a node of a Redis Cluster (`INFO cluster` says `cluster_enabled:1`), so
 * that no setting is needed: the same URL works when a provider runs Redis as a cluster. A server
 * that refuses INFO (some proxies) is taken as one Redis: a proxy is one endpoint. An unreachable
 * one throws: nothing can be decided without it.
 */
export async function detectCluster(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    const info = await probe.info('cluster').catch(() => '');
    return /^cluster_enabled:1\s*$/m.test(info);
  } finally {
    probe.disconnect();
  }
}

/** Detects the topology and connects (command-line tools that open one connection). */
export async function openRedis(url: string, role: RedisRole): Promise<RedisConnection> {
  return connectRedis(url, role, await detectCluster(url));
}

export const isCluster = (redis: RedisConnection): redis is Cluster => redis.isCluster;

/**
 * The same connection, typed as the one-node client, for code written against that type (the
 * channels, the advisor console): they only send commands, which a Cluster answers alike, and
 * their keys used together carry hashTag() on a cluster.
 */
export const asRedis = (connection: RedisConnection): Redis => connection as Redis;

/**
 * A hash tag on a cluster, the text itself on one Redis: keys used together by one MULTI or script
 * share it, so that they land in one cluster slot, while a single Redis keeps the key names it
 * always had (its data needs no migration).
 */
export const hashTag = (redis: RedisConnection, text: string): string => (isCluster(redis) ? `{${text}}` : text);

/** Resolves once the connection is ready (a producer without an offline queue refuses commands before). */
export async function whenReady(redis: RedisConnection, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Escapes glob characters, so that an id can never widen a SCAN pattern. */
export const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** Every key matching a SCAN pattern: on a cluster, on every master (each holds its own slots). */
export async function scanKeys(redis: RedisConnection, pattern: string, count = 500): Promise<string[]> {
  const keys = new Set<string>();
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      for (const key of found) keys.add(key);
    } while (cursor !== '0');
  }
  return [...keys];
}

/** Deletes keys that may lie in different cluster slots (one DEL per key there; batches of 500 on one Redis). */
export async function deleteKeys(redis: RedisConnection, keys: string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500);
    if (isCluster(redis)) deleted += (await Promise.all(batch.map((key) => redis.del(key)))).reduce((sum, n) => sum + n, 0);
    else deleted += await redis.del(...batch);
  }
  return deleted;
}
