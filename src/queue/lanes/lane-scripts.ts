import type { RedisConnection } from '../../infra/redis.js';

/**
 * The lanes' atomic steps, as Lua run inside Redis. Each touches the keys of one lane only (one
 * hash tag), so they work on Redis Cluster too.
 */
const SCRIPTS = {
  /**
   * KEYS items, meta, seen (set), legacy seen marker, rate (this minute), rate (the minute before);
   * ARGV payload, seenTtlSeconds, lane, laneTtlSeconds, limitPerWindow, throttledPayload, share of
   * this minute gone (0-1), the item id's hash, now (ms), the item id.
   * 0: seen before; 1: pushed; 2: pushed, over the flood limit. The limit holds over any 60 s, not
   * per clock minute: the minute before counts for the part of it still within the last 60 s.
   * Seen ids are members of one sorted set per lane (score: when each is forgotten), trimmed here;
   * they are kept as hashes (an id names its chat; the markers of the replies to "delete" outlive the
   * erasure), and ids kept as they were, or as an id's own key as lanes kept them before, still count
   * until they are forgotten.
   */
  lanePush: `
local now = tonumber(ARGV[9])
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
for _, id in ipairs({ARGV[8], ARGV[10]}) do
  local forgetAt = redis.call('ZSCORE', KEYS[3], id)
  if forgetAt and tonumber(forgetAt) > now then return 0 end
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]) * 1000, ARGV[8])
redis.call('EXPIRE', KEYS[3], ARGV[2])
local payload = ARGV[1]
local result = 1
local limit = tonumber(ARGV[5])
if limit > 0 then
  local n = redis.call('INCR', KEYS[5])
  if n == 1 then redis.call('EXPIRE', KEYS[5], 120) end
  local before = tonumber(redis.call('GET', KEYS[6]) or '0')
  if n + before * (1 - tonumber(ARGV[7])) > limit then payload = ARGV[6]; result = 2 end
end
redis.call('RPUSH', KEYS[1], payload)
redis.call('HSET', KEYS[2], 'lane', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return result`,
  /** KEYS lock, meta, items; ARGV token, leaseMs, now. {-1, pttl} when held by another; else {items, readyAt - now, attempts}. */
  laneAcquire: `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {-1, redis.call('PTTL', KEYS[1]), 0} end
local meta = redis.call('HMGET', KEYS[2], 'readyAt', 'attempts')
return {redis.call('LLEN', KEYS[3]), tonumber(meta[1] or '0') - tonumber(ARGV[3]), tonumber(meta[2] or '0')}`,
  /** KEYS lock; ARGV token, leaseMs. 1 when still ours. */
  laneRenew: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  /**
   * KEYS lock, items, meta; ARGV token, force, now (ms). -1: not ours; 1: items remain and the lock
   * is kept; 0: released. An empty lane keeps no state but a pause still running (the next push must
   * wait it out): its meta goes, or expires when the pause ends.
   */
  laneRelease: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local waiting = redis.call('LLEN', KEYS[2])
if ARGV[2] == '0' and waiting > 0 then return 1 end
redis.call('DEL', KEYS[1])
if waiting == 0 then
  local left = tonumber(redis.call('HGET', KEYS[3], 'readyAt') or '0') - tonumber(ARGV[3])
  if left > 0 then redis.call('PEXPIRE', KEYS[3], math.ceil(left)) else redis.call('DEL', KEYS[3]) end
end
return 0`,
  /**
   * KEYS items, meta, then the item's own keys (its delivery markers); ARGV the head as read. Pops it
   * (forgetting its attempts and deleting its own keys) only if it is still the head.
   */
  lanePop: `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], 'attempts')
  for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
  return 1
end
return 0`,
  /**
   * KEYS items, meta, then the own keys of `done`; ARGV done (the head just handled, or ''),
   * pauseUntil (ms, or 0). Pops `done` if it is still the head (forgetting its attempts and deleting
   * its own keys), records a pause, then returns what comes next: {readyAt, attempts, head or false}.
   * One round trip per item.
   */
  laneNext: `
if ARGV[1] ~= '' and redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], 'attempts')
  for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
end
if tonumber(ARGV[2]) > 0 then redis.call('HSET', KEYS[2], 'readyAt', ARGV[2]) end
local meta = redis.call('HMGET', KEYS[2], 'readyAt', 'attempts')
return {tonumber(meta[1] or '0'), tonumber(meta[2] or '0'), redis.call('LINDEX', KEYS[1], 0)}`,
  /** KEYS next; ARGV now, stepMs. Reserves the next free slot of a rate (spaced evenly); returns the ms to wait for it. */
  rateReserve: `
local now = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt < now then nxt = now end
redis.call('SET', KEYS[1], tostring(nxt + tonumber(ARGV[2])), 'PX', 60000)
return nxt - now`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
type Arg = string | number;

/**
 * Calls the lanes' scripts on a connection (defined once per connection; ioredis reloads them after
 * a Redis restart). The number of keys goes with each call: an item may bring keys of its own.
 */
export class LaneScripts {
  constructor(private readonly redis: RedisConnection) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { lua });
    }
  }

  run<T = unknown>(name: ScriptName, keys: string[], args: Arg[]): Promise<T> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: Arg[]) => Promise<T>>)[name];
    return command.call(this.redis, keys.length, ...keys, ...args);
  }
}
