/**
 * The Redis-backed cache store. A read is one Lua call: it reads the tag versions, builds the versioned
 * key and returns the entry with its remaining TTL, so a cache hit costs a single round trip. (The script
 * reads keys it derives itself, which is fine on a single Redis or a replica set, not on a Cluster.)
 */

import { type CacheTag, TAG_VERSION_PREFIX } from '@f1/core/changes/invalidation';
import type { Redis } from '@f1/core/redis';
import { CACHE_SCRIPTS } from './scripts.ts';
import { type CacheStore, QUERY_KEY_PREFIX, type VersionedRead, versionedKey } from './store.ts';

export class RedisStore implements CacheStore {
  readonly kind = 'redis';

  constructor(private readonly redis: Redis) {}

  async read(base: string, tags: readonly CacheTag[]): Promise<VersionedRead> {
    const prefix = this.redis.options.keyPrefix ?? '';
    const keys = tags.map((tag) => `${TAG_VERSION_PREFIX}${tag}`);
    const [versions, value, pttl] = await CACHE_SCRIPTS.on(this.redis).f1CacheRead(
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
