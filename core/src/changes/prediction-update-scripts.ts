/**
 * The prediction-update stream's Lua script (registered by `createRedis`; see redis-scripts.ts).
 */
import { defineScripts, script } from '../redis-scripts.ts';

// Appends to the race's stream and publishes `{"id":…,"update":…}` atomically: a subscriber that
// reads the stream after subscribing cannot miss an event between the two.
const APPEND_AND_PUBLISH = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'u', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], '{"id":"' .. id .. '","update":' .. ARGV[2] .. '}')
return id`;

export const UPDATE_SCRIPTS = defineScripts({
  /** Returns the new stream id. */
  f1PublishPredictionUpdate: script<
    [stream: string, kept: number, update: string, ttlMs: number, channel: string],
    string
  >({ numberOfKeys: 1, lua: APPEND_AND_PUBLISH }),
});
