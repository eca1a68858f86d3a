/**
 * REST GETs through the one public-GET responder (http/public-get.ts): served from the response cache
 * like the same procedure on /trpc, invalidated by the same tags, rate-limited on a hit, and never
 * cached when the call carries refused credentials or the procedure has no edge-cache policy
 * (accepted credentials: http/authenticated-cache.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import type { Redis } from '@f1/core/redis';
import { testConfig } from '@f1/testkit/config';
import { MINI_SEASON, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServerRedis, testServices } from '@f1/testkit/server';
import { available, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';
import type { Services } from '../services.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
}, 30_000);
afterAll(() => database.close());

const DRIVER = '/api/v1/drivers/driver_a';
const rename = (givenName: string) =>
  sql`UPDATE drivers SET given_name = ${givenName} WHERE driver_ref = 'driver_a'`.execute(
    database.db,
  );

/** Both ways a process runs: alone (in-process stores) and with Redis (L2 shared, versioned tags). */
const backends: { name: string; redis: () => Promise<Redis | null> }[] = [
  { name: 'without Redis', redis: async () => null },
];
if (available('REST GETs and the response cache (with Redis)', needs.redis))
  backends.push({ name: 'with Redis', redis: () => testServerRedis() });

for (const backend of backends) {
  describe(`REST GETs and the response cache (${backend.name})`, () => {
    let redis: Redis | null = null;
    let services: Services;
    let app: ReturnType<typeof testApp>;
    const get = (path: string, headers: Record<string, string> = {}) =>
      app.handle(new Request(`http://test.local${path}`, { headers }));
    const givenName = async (res: Response) =>
      (await jsonBody<{ givenName: string }>(res)).givenName;

    beforeAll(async () => {
      redis = await backend.redis();
      services = testServices({ database, redis });
      await services.cache.start();
      app = testApp(services);
    });
    afterEach(() => rename('Driver'));
    afterAll(() => {
      services.cache.close();
      redis?.disconnect();
    });

    test('the second call is served from the cache; after an invalidation of its tag, the new answer', async () => {
      const { stats } = services.cache.responses;
      const first = await get(DRIVER);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag') ?? '';
      const name = await givenName(first);
      expect(stats.stores).toBe(1);

      // Changed underneath without telling the caches: the cached answer is what comes back.
      await rename('Changed');
      const second = await get(DRIVER);
      expect(await givenName(second)).toBe(name);
      expect(second.headers.get('etag')).toBe(etag);
      expect(second.headers.get('ratelimit-remaining')).not.toBeNull();
      expect(stats.localHits).toBe(1);
      const revalidated = await get(DRIVER, { 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      expect(stats.localHits).toBe(2);

      // The tag the procedure reads under (`drivers`) is invalidated: the next call reads afresh.
      await services.invalidation.invalidate(['drivers']);
      const third = await get(DRIVER);
      expect(await givenName(third)).toBe('Changed');
      expect(third.headers.get('etag')).not.toBe(etag);
      expect(stats.stores).toBe(2);
    });

    test('HEAD answers from the same entry; a path differing only by a query is its own entry', async () => {
      await services.invalidation.invalidate(['drivers']);
      const hits = services.cache.responses.stats.localHits;
      const full = await get(`/api/v1/drivers?season=${MINI_SEASON}`);
      const head = await app.handle(
        new Request(`http://test.local/api/v1/drivers?season=${MINI_SEASON}`, { method: 'HEAD' }),
      );
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(head.headers.get('etag')).toBe(full.headers.get('etag'));
      expect(services.cache.responses.stats.localHits).toBe(hits + 1);
    });

    test('calls with refused credentials, and procedures without a cache policy, are never cached', async () => {
      const { stats } = services.cache.responses;
      const anonymous = await get(DRIVER);
      expect(anonymous.headers.get('cache-control')).toStartWith('public');
      const [hits, stores] = [stats.localHits, stats.stores];
      // Refused credentials: answered by the procedure (anonymously), never from the cache, never stored.
      const authed = await get(DRIVER, { authorization: 'Bearer not-a-token' });
      expect(authed.headers.get('cache-control')).toBe('no-store');
      expect(authed.headers.get('etag')).toBeNull();
      expect([stats.localHits, stats.stores]).toEqual([hits, stores]);
      // No edge-cache policy (`accuracy.leaderboard`): computed every time.
      const board = await get('/api/v1/accuracy/leaderboard');
      expect(board.headers.get('cache-control')).toBe('no-store');
      await get('/api/v1/accuracy/leaderboard');
      expect([stats.localHits, stats.stores]).toEqual([hits, stores]);
    });
  });
}

describe('a cached REST answer still counts against the rate limit', () => {
  test('the call past the limit is a REST 429, even from the cache', async () => {
    const services = testServices({
      database,
      config: testConfig({ F1_RATE_LIMIT_REQUESTS: '2', F1_RATE_LIMIT_WINDOW: '60' }),
    });
    const app = testApp(services);
    const get = () => app.handle(new Request(`http://test.local${DRIVER}`));
    try {
      expect((await get()).status).toBe(200);
      const cached = await get();
      expect(cached.status).toBe(200);
      expect(services.cache.responses.stats.localHits).toBe(1);
      expect(cached.headers.get('ratelimit-remaining')).toBe('0');
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).not.toBeNull();
      expect(refused.headers.get('cache-control')).toBe('no-store');
      const body = await jsonBody<{ code: string; message: string }>(refused);
      expect(body.code).toBe('TOO_MANY_REQUESTS');
      expect(Object.keys(body).sort()).toEqual(['code', 'message']);
    } finally {
      services.cache.close();
    }
  });
});
