/**
 * The Redis-backed cache store. A read is one Lua call: it reads the tag versions, builds the versioned
 * key and returns the entry with its remaining TTL, so a cache hit costs a single round trip. (The script
 * reads keys it derives itself, which is fine on a single Redis or a replica set, not on a Cluster.)
 */
import type { Redis } from '../redis.ts';
import { type CacheTag, TAG_VERSION_PREFIX } from './invalidation.ts';
import { type CacheStore, QUERY_KEY_PREFIX, type VersionedRead, versionedKey } from './store.ts';

const READ_SCRIPT = `
local versions = {}
for i, key in ipairs(KEYS) do versions[i] = redis.call('GET', key) or '0' end
local joined = table.concat(versions, '.')
local key = ARGV[1] .. '@' .. joined
local value = redis.call('GET', key)
if not value then return { joined, false, 0 } end
return { joined, value, redis.call('PTTL', key) }
`;

type ReadReply = [string, string | null, number];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    f1CacheRead(
      numberOfKeys: number,
      ...keysAndArgs: string[]
    ): import('ioredis').Result<ReadReply, Context>;
  }
}

/** Registers the cache scripts on a connection (idempotent). */
export function defineCacheScripts(redis: Redis): void {
  if (typeof (redis as Partial<Pick<Redis, 'f1CacheRead'>>).f1CacheRead === 'function') return;
  redis.defineCommand('f1CacheRead', { lua: READ_SCRIPT });
}

export class RedisStore implements CacheStore {
  readonly kind = 'redis';

  constructor(private readonly redis: Redis) {
    defineCacheScripts(redis);
  }

  async read(base: string, tags: readonly CacheTag[]): Promise<VersionedRead> {
    const prefix = this.redis.options.keyPrefix ?? '';
    const keys = tags.map((tag) => `${TAG_VERSION_PREFIX}${tag}`);
    const [versions, value, pttl] = await this.redis.f1CacheRead(
      keys.length,
      ...keys,
      `${prefix}${QUERY_KEY_PREFIX}${base}`,
    );
    return { versions, value, ttlMs: Math.max(0, pttl) };
  }

  async write(base: string, versions: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(versionedKey(base, versions), value, 'EX', Math.max(1, ttlSeconds));
  }
}
