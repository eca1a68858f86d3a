/**
 * The limiter's Lua script (registered by `createRedis`; see redis-scripts.ts): trims a bucket's
 * window, counts, and admits or refuses in one atomic step on Redis's own clock.
 */
import { defineScripts, script } from '@f1/core/redis-scripts';

// Admits up to ARGV[3] requests; returns {admitted, remaining after them, ms until the oldest counted
// request leaves the window}.
const SLIDING_WINDOW = `
local limit, window, requested = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = math.max(0, math.min(requested, limit - count))
if admitted > 0 then
  local members = {}
  for i = 1, admitted do
    members[2 * i - 1] = now
    members[2 * i] = ARGV[4] .. i
  end
  redis.call('ZADD', KEYS[1], unpack(members))
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + admitted
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = window - (now - tonumber(oldest[2])) end
return {admitted, limit - count, reset}`;

export const LIMITER_SCRIPTS = defineScripts({
  f1SlidingWindow: script<
    [key: string, limit: number, windowMs: number, requested: number, memberPrefix: string],
    [admitted: number, remaining: number, resetMs: number]
  >({ numberOfKeys: 1, lua: SLIDING_WINDOW }),
});
