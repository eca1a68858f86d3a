import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { InvalidationBus, TAG_VERSION_PREFIX, tagsFor } from '@f1/core/changes/invalidation';
import { silentLogger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';
import { createServerRedis } from '../redis.ts';
import { MemoryStore } from './memory-store.ts';
import { QueryCache } from './query-cache.ts';
import { RedisStore } from './redis-store.ts';
import { RequestTrace } from './request-trace.ts';
import { type CacheStore, versionedKey } from './store.ts';

/** A loader that counts its calls and returns a fresh object each time. */
function counter() {
  let calls = 0;
  const load = async () => {
    calls++;
    return { calls, at: new Date('2024-03-02T15:00:00Z') };
  };
  return { load, calls: () => calls };
}

function behaviour(
  name: string,
  makeStore: (bus: InvalidationBus) => Promise<CacheStore>,
  redis?: () => Redis,
) {
  describe(`QueryCache over ${name}`, () => {
    let cache: QueryCache;
    let bus: InvalidationBus;
    beforeAll(async () => {
      bus = new InvalidationBus(redis?.() ?? null);
      cache = new QueryCache(await makeStore(bus), silentLogger);
    });

    test('a miss loads and stores; the next read is a hit with Dates intact', async () => {
      const { load, calls } = counter();
      const spec = { key: `t1:${name}`, tags: ['season:2024'] as const, ttl: 60 };
      const first = await cache.get(spec, load);
      const second = await cache.get(spec, load);
      expect(calls()).toBe(1);
      expect(second).toEqual(first);
      expect(second.at).toBeInstanceOf(Date);
    });

    test('invalidating a tag the entry depends on makes the next read a miss; others stay', async () => {
      const a = counter();
      const b = counter();
      const specA = {
        key: `t2a:${name}`,
        tags: ['race:2024:5', 'schedule:2024'] as const,
        ttl: 60,
      };
      const specB = {
        key: `t2b:${name}`,
        tags: ['race:2024:4', 'schedule:2024'] as const,
        ttl: 60,
      };
      await cache.get(specA, a.load);
      await cache.get(specB, b.load);
      await bus.invalidate(tagsFor([{ season: 2024, rounds: [5] }]));
      await cache.get(specA, a.load);
      await cache.get(specB, b.load);
      expect([a.calls(), b.calls()]).toEqual([2, 1]);
      await bus.invalidate(['schedule:2024']);
      await cache.get(specB, b.load);
      expect(b.calls()).toBe(2);
    });

    test('concurrent misses share one load', async () => {
      const { load, calls } = counter();
      const spec = { key: `t3:${name}`, tags: ['teams'] as const, ttl: 60 };
      const results = await Promise.all(Array.from({ length: 10 }, () => cache.get(spec, load)));
      expect(calls()).toBe(1);
      expect(new Set(results.map((r) => r.calls))).toEqual(new Set([1]));
    });

    test('a TTL of 0 (from a function of the value) stores nothing', async () => {
      const { load, calls } = counter();
      const spec = { key: `t4:${name}`, tags: ['races'] as const, ttl: () => 0 };
      await cache.get(spec, load);
      await cache.get(spec, load);
      expect(calls()).toBe(2);
    });

    test('the trace records tag versions and the remaining lifetime', async () => {
      const { load } = counter();
      const spec = { key: `t5:${name}`, tags: ['circuits'] as const, ttl: 30 };
      const miss = new RequestTrace();
      await cache.get(spec, load, miss);
      const hit = new RequestTrace();
      await cache.get(spec, load, hit);
      expect(miss.storable && hit.storable).toBe(true);
      expect(hit.versions.get('circuits')).toBe(miss.versions.get('circuits'));
      expect(hit.ttlMs).toBeLessThanOrEqual(30_000);
      expect(hit.ttlMs).toBeGreaterThan(25_000);
    });
  });
}

behaviour('the in-process store', async (bus) => new MemoryStore(bus));

describeWithRedis('the Redis store', () => {
  let redis: Redis & { prefix: string };
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => redis.disconnect());
  behaviour(
    'Redis',
    async () => new RedisStore(redis),
    () => redis,
  );

  describe('RedisStore', () => {
    test('keys embed the tag versions, values carry the TTL (SET … EX)', async () => {
      const store = new RedisStore(redis);
      await redis.set(`${TAG_VERSION_PREFIX}season:1999`, '7');
      const read = await store.read('probe', ['season:1999', 'predictions:1999:1']);
      expect(read).toEqual({ versions: '7.0', value: null, ttlMs: 0 });
      await store.write('probe', read.versions, 'payload', 120);
      expect(await redis.get(versionedKey('probe', '7.0'))).toBe('payload');
      const ttl = await redis.ttl(versionedKey('probe', '7.0'));
      expect(ttl).toBeGreaterThan(110);
      const hit = await store.read('probe', ['season:1999', 'predictions:1999:1']);
      expect(hit.value).toBe('payload');
      expect(hit.ttlMs).toBeGreaterThan(110_000);
    });
  });
});

describe('QueryCache fails open', () => {
  test('with Redis unreachable every read loads from the source, and the trace is spoiled', async () => {
    const down = createServerRedis('redis://127.0.0.1:1');
    down.on('error', () => {});
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    try {
      const cache = new QueryCache(new RedisStore(down), logger);
      const { load } = counter();
      const trace = new RequestTrace();
      const spec = { key: 'down', tags: ['drivers'] as const, ttl: 60 };
      expect((await cache.get(spec, load, trace)).calls).toBe(1);
      expect((await cache.get(spec, load)).calls).toBe(2);
      expect(trace.storable).toBe(false);
      expect(cache.stats.errors).toBe(2);
      expect(warnings).toEqual(['cache unavailable; reading from the database']);
    } finally {
      down.disconnect();
    }
  });

  test('a failing write still answers', async () => {
    const store: CacheStore = {
      kind: 'memory',
      read: async () => ({ versions: '0', value: null, ttlMs: 0 }),
      write: async () => {
        throw new Error('disk full');
      },
    };
    const cache = new QueryCache(store, silentLogger);
    const { load } = counter();
    expect((await cache.get({ key: 'w', tags: ['teams'], ttl: 5 }, load)).calls).toBe(1);
    expect(cache.stats.errors).toBe(1);
  });
});
