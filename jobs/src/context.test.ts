import { describe, expect, test } from 'bun:test';
import { loadConfig } from '@f1/db/config';
import { freshDatabase, testDatabaseUrl } from '@f1/db/testing';
import { invalidate } from '@f1/server/cache/invalidation';
import { QueryCache } from '@f1/server/cache/query-cache';
import { RedisStore } from '@f1/server/cache/redis-store';
import { silentLogger } from '@f1/server/logger';
import { testRedis, testRedisUrl } from '@f1/server/testing';
import { openJobContext } from './context.ts';

if (!testRedisUrl() || !testDatabaseUrl()) {
  console.warn('job context tests skipped: F1_TEST_REDIS_URL or F1_TEST_DATABASE_URL is not set');
  describe.skip('openJobContext [F1_TEST_REDIS_URL / F1_TEST_DATABASE_URL not set]', () => {});
} else {
  test("a job's invalidation reaches a server that uses F1_REDIS_KEY_PREFIX", async () => {
    const database = await freshDatabase('postgres');
    const serverRedis = await testRedis();
    const cache = new QueryCache(new RedisStore(serverRedis), silentLogger);
    const spec = {
      key: 'standings.drivers:{"season":2024}',
      tags: ['standings:2024'] as const,
      ttl: 60,
    };
    const context = await openJobContext(
      loadConfig({
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: testRedisUrl() ?? '',
        F1_REDIS_KEY_PREFIX: serverRedis.prefix,
      }),
      { logger: silentLogger },
    );
    try {
      expect(await cache.get(spec, async () => 'before')).toBe('before');
      expect(await cache.get(spec, async () => 'after')).toBe('before');
      await invalidate(context.redis, ['standings:2024']);
      expect(await cache.get(spec, async () => 'after')).toBe('after');
    } finally {
      await context.close();
      serverRedis.disconnect();
      await database.close();
    }
  });
}
