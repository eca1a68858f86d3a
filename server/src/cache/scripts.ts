/**
 * The cache's Lua scripts, registered on a connection with `defineCommand` (EVALSHA, reloaded on
 * NOSCRIPT). They read keys they derive themselves: fine on a single Redis or a replica set, not on a
 * Cluster. Typed through a local interface rather than `declare module 'ioredis'`: an augmentation
 * would pull ioredis into the SDK's bundled router types.
 */
import type { Redis } from '../redis.ts';

/** Tag versions + the entry at those versions + its remaining TTL, in one round trip. */
const QUERY_READ = `
local versions = {}
for i, key in ipairs(KEYS) do versions[i] = redis.call('GET', key) or '0' end
local joined = table.concat(versions, '.')
local key = ARGV[1] .. '@' .. joined
local value = redis.call('GET', key)
if not value then return { joined, false, 0 } end
return { joined, value, redis.call('PTTL', key) }
`;

/** A stored response, only while every tag version recorded in its first line is still current. */
const RESPONSE_READ = `
local value = redis.call('GET', KEYS[1])
if not value then return false end
local eol = string.find(value, '\\n', 1, true)
if not eol then return false end
for tag, version in string.gmatch(string.sub(value, 1, eol - 1), '(%S+)=(%S+)') do
  if (redis.call('GET', ARGV[1] .. tag) or '0') ~= version then return false end
end
return { value, redis.call('PTTL', KEYS[1]) }
`;

interface ScriptCommands {
  f1CacheRead(
    numberOfKeys: number,
    ...keysAndArgs: string[]
  ): Promise<[versions: string, value: string | null, pttl: number]>;
  /** `defineCommand` adds a `…Buffer` variant that returns the bytes undecoded. */
  f1ResponseReadBuffer(key: string, tagVersionPrefix: string): Promise<[Buffer, number] | null>;
}

const registered = new WeakSet<Redis>();

export function cacheScripts(redis: Redis): ScriptCommands {
  if (!registered.has(redis)) {
    redis.defineCommand('f1CacheRead', { lua: QUERY_READ });
    redis.defineCommand('f1ResponseRead', { numberOfKeys: 1, lua: RESPONSE_READ });
    registered.add(redis);
  }
  return redis as unknown as ScriptCommands;
}
