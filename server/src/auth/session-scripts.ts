/**
 * The session store's Lua scripts (registered by `createRedis`; see redis-scripts.ts). Rotation, touch
 * and revoke are atomic, so two concurrent refreshes with one token can never both succeed.
 */
import { defineScripts, script } from '@f1/core/redis-scripts';

const ROTATE = `
local current = redis.call('HGET', KEYS[1], 'hash')
if not current then return {'invalid'} end
if current == ARGV[1] then
  local ttl = tonumber(ARGV[4])
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('HSET', KEYS[1], 'hash', ARGV[2], 'seen', ARGV[3], 'expires', tonumber(ARGV[3]) + ttl * 1000,
    'ua', ARGV[5], 'ip', ARGV[6])
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  local out = redis.call('HGETALL', KEYS[1])
  table.insert(out, 1, 'rotated')
  return out
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  local user = redis.call('HGET', KEYS[1], 'user')
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'reused', user}
end
return {'invalid'}`;

const TOUCH = `
if redis.call('HGET', KEYS[1], 'user') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'seen', ARGV[2])
return 1`;

const REVOKE = `
if redis.call('HGET', KEYS[1], 'user') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[2])
return 1`;

export const SESSION_SCRIPTS = defineScripts({
  /** `['rotated', ...HGETALL]`, `['reused', userId]` or `['invalid']`. */
  f1SessionRotate: script<
    [
      session: string,
      used: string,
      presented: string,
      next: string,
      nowMs: number,
      ttlSeconds: number,
      userAgent: string,
      ip: string,
    ],
    string[]
  >({ numberOfKeys: 2, lua: ROTATE }),
  f1SessionTouch: script<[session: string, userId: number, nowMs: number], number>({
    numberOfKeys: 1,
    lua: TOUCH,
  }),
  f1SessionRevoke: script<
    [session: string, used: string, index: string, userId: number, sessionId: string],
    number
  >({ numberOfKeys: 3, lua: REVOKE }),
});
