import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { authServices } from '@f1/testkit/auth';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { batchUrl, jsonBody, trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServerRedis } from '@f1/testkit/server';
import { describeWithRedis } from '@f1/testkit/skip';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
}, 60_000);
afterAll(() => database.close());

type TrpcError = { error: { json: { message: string; data: { code: string; path: string } } } };

function gateTests(name: string, redisOf: () => Redis | null) {
  describe(`${name}: responses served from the cache count against the same limit`, () => {
    test('cached hits are limited like tRPC calls, with the same 429', async () => {
      const services = authServices({
        database,
        redis: redisOf(),
        env: { F1_RATE_LIMIT_REQUESTS: '4', F1_TRUSTED_PROXIES: '1' },
      });
      const app = testApp(services);
      const url = trpcUrl('standings.drivers', { season: MINI_SEASON });
      const get = (ip: string, target = url) =>
        app.handle(new Request(target, { headers: { 'x-forwarded-for': ip } }));
      const ip = '198.51.100.60';
      const first = await get(ip); // through tRPC, now cached
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-remaining')).toBe('3');
      const hit = await get(ip); // from the cache
      expect(hit.status).toBe(200);
      expect(hit.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(hit.headers.get('ratelimit-remaining')).toBe('2');
      // A batch of two cached calls counts two.
      const batch = batchUrl([
        ['standings.drivers', { season: MINI_SEASON }],
        ['standings.drivers', { season: MINI_SEASON, round: 1 }],
      ]);
      await get('198.51.100.99', batch); // warm the cache from another client
      const batchHit = await get(ip, batch);
      expect(batchHit.status).toBe(200);
      expect(batchHit.headers.get('ratelimit-remaining')).toBe('0');
      const refusedBatch = await get(ip, batch);
      expect(refusedBatch.status).toBe(429);
      const batchBody = await jsonBody<TrpcError[]>(refusedBatch);
      expect(batchBody.map((e) => e.error.json.data.code)).toEqual([
        'TOO_MANY_REQUESTS',
        'TOO_MANY_REQUESTS',
      ]);
      const refused = await get(ip);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('cache-control')).toBe('no-store');
      const body = await jsonBody<TrpcError>(refused);
      expect(body.error.json.data).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        path: 'standings.drivers',
      });
      // Another client still gets the cached answer.
      expect((await get('198.51.100.61')).status).toBe(200);
    });
  });
}

gateTests('in-process', () => null);
describeWithRedis('redis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => redis.disconnect());
  gateTests('redis', () => redis);
});
