import type { Redis } from 'ioredis';

/**
 * The lanes' atomic steps, as Lua run inside Redis. Each touches the keys of one lane only (one
 * hash tag), so they work on Redis Cluster too.
 */
const SCRIPTS = {
  /**
   * KEYS items, meta, seen, rate (this minute), rate (the minute before); ARGV payload, seenTtlSeconds,
   * lane, laneTtlSeconds, limitPerWindow, throttledPayload, share of this minute gone (0-1).
   * 0: seen before; 1: pushed; 2: pushed, over the flood limit. The limit holds over any 60 s, not
   * per clock minute: the minute before counts for the part of it still within the last 60 s.
   */
  lanePush: {
    keys: 5,
    lua: `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[2])
local payload = ARGV[1]
local result = 1
local limit = tonumber(ARGV[5])
if limit > 0 then
  local n = redis.call('INCR', KEYS[4])
  if n == 1 then redis.call('EXPIRE', KEYS[4], 120) end
  local before = tonumber(redis.call('GET', KEYS[5]) or '0')
  if n + before * (1 - tonumber(ARGV[7])) > limit then payload = ARGV[6]; result = 2 end
end
redis.call('RPUSH', KEYS[1], payload)
redis.call('HSET', KEYS[2], 'lane', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return result`,
  },
  /** KEYS lock, meta, items; ARGV token, leaseMs, now. {-1, pttl} when held by another; else {items, readyAt - now, attempts}. */
  laneAcquire: {
    keys: 3,
    lua: `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {-1, redis.call('PTTL', KEYS[1]), 0} end
local meta = redis.call('HMGET', KEYS[2], 'readyAt', 'attempts')
return {redis.call('LLEN', KEYS[3]), tonumber(meta[1] or '0') - tonumber(ARGV[3]), tonumber(meta[2] or '0')}`,
  },
  /** KEYS lock; ARGV token, leaseMs. 1 when still ours. */
  laneRenew: {
    keys: 1,
    lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  },
  /** KEYS lock, items; ARGV token, force. -1: not ours; 1: items remain and the lock is kept; 0: released. */
  laneRelease: {
    keys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if ARGV[2] == '0' and redis.call('LLEN', KEYS[2]) > 0 then return 1 end
redis.call('DEL', KEYS[1])
return 0`,
  },
  /** KEYS items, meta; ARGV the head as read. Pops it (and its attempts) only if it is still the head. */
  lanePop: {
    keys: 2,
    lua: `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], 'attempts')
  return 1
end
return 0`,
  },
  /**
   * KEYS items, meta; ARGV done (the head just handled, or ''), pauseUntil (ms, or 0). Pops `done`
   * if it is still the head (and forgets its attempts), records a pause, then returns what comes
   * next: {readyAt, attempts, head or false}. One round trip per item.
   */
  laneNext: {
    keys: 2,
    lua: `
if ARGV[1] ~= '' and redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], 'attempts')
end
if tonumber(ARGV[2]) > 0 then redis.call('HSET', KEYS[2], 'readyAt', ARGV[2]) end
local meta = redis.call('HMGET', KEYS[2], 'readyAt', 'attempts')
return {tonumber(meta[1] or '0'), tonumber(meta[2] or '0'), redis.call('LINDEX', KEYS[1], 0)}`,
  },
  /** KEYS next; ARGV now, stepMs. Reserves the next free slot of a rate (spaced evenly); returns the ms to wait for it. */
  rateReserve: {
    keys: 1,
    lua: `
local now = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt < now then nxt = now end
redis.call('SET', KEYS[1], tostring(nxt + tonumber(ARGV[2])), 'PX', 60000)
return nxt - now`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
type Arg = string | number;

/** Calls the lanes' scripts on a connection (defined once per connection; ioredis reloads them after a Redis restart). */
export class LaneScripts {
  constructor(private readonly redis: Redis) {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
    }
  }

  run<T = unknown>(name: ScriptName, keys: string[], args: Arg[]): Promise<T> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: Arg[]) => Promise<T>>)[name];
    return command.call(this.redis, ...keys, ...args);
  }
}
