import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from '../infra/redis.js';

/**
 * The statistics' atomic steps, as Lua run inside Redis. Their keys all carry the `{stats}` hash
 * tag (statistics-keys.ts), so they work on a Redis Cluster too.
 */
const SCRIPTS = {
  /**
   * A turn. KEYS day counters (hash), the day's seen conversations (set). ARGV the counters'
   * expiry (unix s), the seen set's expiry (unix s), the conversation's keyed hash, n, then n
   * fields counted for the turn, then fields counted only for the conversation's first turn of the day.
   */
  statsTurn: `
local n = tonumber(ARGV[4])
for i = 5, 4 + n do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
if redis.call('SADD', KEYS[2], ARGV[3]) == 1 then
  for i = 5 + n, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
end
redis.call('EXPIREAT', KEYS[2], ARGV[2])
redis.call('EXPIREAT', KEYS[1], ARGV[1])
return 1`,
  /**
   * Case counters. KEYS day counters, and optionally a marker: with one, the counters move only
   * the first time (SET NX). ARGV the counters' expiry (unix s), the marker's lifetime (s), then
   * field and increment pairs. 1 when counted.
   */
  statsCase: `
if #KEYS > 1 and not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 0 end
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIREAT', KEYS[1], ARGV[1])
return 1`,
  /**
   * An unanswered question. KEYS the question's key, timeline (sorted set), the conversation's set,
   * links (hash). ARGV id, record (JSON), time (ms), when it expires (ms), the conversation set's
   * lifetime (s), the retention's cut-off (ms): up to 100 ids older than it leave the timeline, with
   * their links (their own keys have expired).
   */
  statsUnanswered: `
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[5])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6], 'LIMIT', 0, 100)
if #old > 0 then
  redis.call('HDEL', KEYS[4], unpack(old))
  redis.call('ZREM', KEYS[2], unpack(old))
end
return #old`,
} as const;

export type StatisticsScript = keyof typeof SCRIPTS;
type Arg = string | number;
type Runner = Record<StatisticsScript, (...args: Arg[]) => unknown>;

/** Defines the scripts on a connection once (ioredis loads them again after a Redis restart). */
export function defineStatisticsScripts(redis: RedisConnection): void {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
}

/** Queues a script on a pipeline of a connection the scripts were defined on. */
export function queueScript(pipeline: ChainableCommander, name: StatisticsScript, keys: string[], args: Arg[]): void {
  (pipeline as unknown as Runner)[name](keys.length, ...keys, ...args);
}

/** Runs a script on a connection the scripts were defined on. */
export function runScript<T>(redis: RedisConnection, name: StatisticsScript, keys: string[], args: Arg[]): Promise<T> {
  return (redis as unknown as Runner)[name].call(redis, keys.length, ...keys, ...args) as Promise<T>;
}
