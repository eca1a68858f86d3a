/**
 * The cache's Lua scripts (registered by `createRedis`; see redis-scripts.ts). They read keys they
 * derive themselves: fine on a single Redis or a replica set, not on a Cluster.
 */
import { defineScripts, script } from '@f1/core/redis-scripts';

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

export const CACHE_SCRIPTS = defineScripts({
  f1CacheRead: script<
    [numberOfKeys: number, ...keysAndArgs: string[]],
    [versions: string, value: string | null, pttl: number]
  >({ lua: QUERY_READ }),
  f1ResponseRead: script<
    [key: string, tagVersionPrefix: string],
    [value: Buffer, pttl: number] | null
  >({ numberOfKeys: 1, lua: RESPONSE_READ, buffers: true }),
});
