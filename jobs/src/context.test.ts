import { expect, test } from 'bun:test';
import { loadConfig } from '@f1/core/config';
import { silentLogger } from '@f1/core/logger';
import { QueryCache } from '@f1/server/cache/query-cache';
import { RedisStore } from '@f1/server/cache/redis-store';
import { freshDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { testServerRedis } from '@f1/testkit/server';
import { describeWith, needs } from '@f1/testkit/skip';
import { openJobContext } from './context.ts';
import { SharedPacer } from './sources/http/shared-pacer.ts';

describeWith([needs.redis, needs.postgres], 'openJobContext', () => {
  test("a job's invalidation reaches a server that uses F1_REDIS_KEY_PREFIX", async () => {
    const database = await freshDatabase('postgres');
    const serverRedis = await testServerRedis();
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
      // The job's pipeline publishes on its Redis, under the server's prefix.
      await context.changes.changed([{ kind: 'schedule', seasons: [2024] }]);
      expect(await cache.get(spec, async () => 'after')).toBe('after');
    } finally {
      await context.close();
      serverRedis.disconnect();
      await database.close();
    }
  });

  // Scripts are never defined late on a connection (see core/src/redis-scripts.ts): the job's Redis
  // must be made with the pacer's, or the shared pacer refuses it.
  test("a job's Redis runs the shared pacer's scripts", async () => {
    const database = await freshDatabase('postgres');
    const prefix = `f1t:${process.pid}:${crypto.randomUUID().slice(0, 8)}:`;
    const context = await openJobContext(
      loadConfig({
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: testRedisUrl() ?? '',
        F1_REDIS_KEY_PREFIX: prefix,
      }),
      { logger: silentLogger },
    );
    try {
      const redis = context.redis;
      if (!redis) throw new Error('the job context has no Redis');
      const pacer = new SharedPacer(redis, { name: 'context', perSecond: 1000, perHour: 5 });
      await pacer.acquire();
      await pacer.acquire();
      // Reserved in Redis by the script, not by the in-process fallback.
      expect(await redis.zcard('f1:pacer:context:sent')).toBe(2);
    } finally {
      await context.close();
      await database.close();
    }
  });
});
