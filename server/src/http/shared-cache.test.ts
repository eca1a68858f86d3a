/**
 * The caches with Redis behind them: the response cache shared between processes (L2), invalidations
 * arriving over pub/sub, the query cache's hit and miss over HTTP, and an outage of Redis mid-test.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { gunzipSync } from 'node:zlib';
import {
  invalidationChannel,
  publishInvalidation,
  TAG_VERSION_PREFIX,
  tagsFor,
} from '@f1/core/changes/invalidation';
import { type Redis, waitForRedis } from '@f1/core/redis';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { jsonBody, trpcUrl } from '@f1/testkit/http';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { startPrivateRedis } from '@f1/testkit/private-redis';
import { testRedisUrl } from '@f1/testkit/redis';
import { testApp, testServerRedis, testServices } from '@f1/testkit/server';
import { describeWith, describeWithRedis, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { issueApiKey } from '../auth/api-keys.ts';
import { createServerRedis } from '../redis.ts';
import type { Services } from '../services.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase(preferredBackend());
  await seedReadFixtures(database.db);
});
afterAll(() => database.close());

const get = (services: Services, url: string) => testApp(services).handle(new Request(url));
const standings = trpcUrl('standings.drivers', { season: MINI_SEASON });
const leader = async (services: Services) =>
  (
    await jsonBody<{ result: { data: { json: { rows: { points: number }[] } } } }>(
      await get(services, standings),
    )
  ).result.data.json.rows[0]?.points;

/** Moves driver_b's round-2 points by `delta` and refreshes the standings (an ingestion-style change). */
async function changeRound2(delta: number) {
  await sql`UPDATE race_results SET points = points + ${delta}
    WHERE race_id = (SELECT id FROM races WHERE season = ${MINI_SEASON} AND round = 2)
      AND driver_id = (SELECT id FROM drivers WHERE driver_ref = 'driver_b')`.execute(database.db);
  await refreshStandings(database.db);
}

async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 3_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

describeWithRedis('caches backed by Redis', () => {
  let redis: Redis & { prefix: string };
  const peers: Redis[] = [];
  /** Another "process": its own connection and services on the same Redis key space. */
  const peer = async () => {
    const connection = createServerRedis(testRedisUrl() ?? '', { keyPrefix: redis.prefix });
    await waitForRedis(connection);
    peers.push(connection);
    const services = testServices({ database, redis: connection });
    await services.cache.start();
    return services;
  };
  beforeAll(async () => {
    redis = await testServerRedis();
  });
  afterAll(() => {
    for (const connection of peers) connection.disconnect();
    redis.disconnect();
  });

  test('the query cache: a hit after the first call, a miss after invalidation', async () => {
    const services = testServices({ database, redis });
    const { stats } = services.cache.query;
    const url = trpcUrl('races.results', { season: MINI_SEASON, round: 1 });
    await get(services, url);
    expect([stats.hits, stats.misses]).toEqual([0, 1]);
    services.cache.responses.clear(); // force the next request through tRPC
    await get(services, url);
    expect([stats.hits, stats.misses]).toEqual([1, 1]);
    await services.invalidation.invalidate(tagsFor([{ season: MINI_SEASON, rounds: [1] }]));
    await get(services, url);
    expect([stats.hits, stats.misses]).toEqual([1, 2]);
    const keys = await redis.keys(`${redis.prefix}f1:q:races.results*`);
    expect(keys.length).toBe(2); // the orphaned entry ages out by TTL; nothing is scanned or deleted
    expect(await redis.ttl(keys[0]?.slice(redis.prefix.length) ?? '')).toBeGreaterThan(86_000);
  });

  test('a second process answers an API key from the shared bytes, compressed, private', async () => {
    const a = await peer();
    const b = await peer();
    const { key } = await issueApiKey(b.db, {
      name: 'shared-ml',
      role: 'ml_service',
      createdBy: null,
    });
    const url = trpcUrl('standings.drivers', { season: MINI_SEASON });
    const body = await (await get(a, url)).text();
    const authed = await testApp(b).handle(
      new Request(url, { headers: { 'x-api-key': key, 'accept-encoding': 'gzip' } }),
    );
    expect(b.cache.responses.stats.sharedHits).toBe(1);
    expect(authed.headers.get('cache-control')).toBe('private, max-age=0');
    const bytes = new Uint8Array(await authed.arrayBuffer());
    const plain = authed.headers.get('content-encoding') === 'gzip' ? gunzipSync(bytes) : bytes;
    expect(new TextDecoder().decode(plain)).toBe(body);
  });

  test('a second process answers from the shared bytes, identical to the first', async () => {
    const a = await peer();
    const b = await peer();
    const url = trpcUrl('races.calendar', { season: MINI_SEASON });
    const first = await get(a, url);
    const body = await first.text();
    const second = await get(b, url);
    expect(b.cache.responses.stats.sharedHits).toBe(1);
    expect(b.cache.query.stats.misses + b.cache.query.stats.hits).toBe(0); // tRPC never entered
    expect(await second.text()).toBe(body);
    // Identical but for the rate-limit headers and the request id, which are per request (and per
    // process here).
    const stable = (res: Response) =>
      [...res.headers].filter(([name]) => !/^ratelimit|^x-request-id$/.test(name));
    expect(stable(second)).toEqual(stable(first));
    await get(b, url);
    expect(b.cache.responses.stats.localHits).toBe(1);
  });

  test('an invalidation published by another process drops both processes’ copies', async () => {
    const a = await peer();
    const b = await peer();
    expect([await leader(a), await leader(b)]).toEqual([32.5, 32.5]);
    await changeRound2(10);
    try {
      // Without an invalidation both keep answering from their caches.
      expect([await leader(a), await leader(b)]).toEqual([32.5, 32.5]);
      // What another process's invalidate() does, without this process's local notification.
      const publisher = createServerRedis(testRedisUrl() ?? '', { keyPrefix: redis.prefix });
      await waitForRedis(publisher);
      await publisher.incr(`${TAG_VERSION_PREFIX}standings:${MINI_SEASON}`);
      await publisher.publish(
        invalidationChannel(redis),
        JSON.stringify([`standings:${MINI_SEASON}`]),
      );
      publisher.disconnect();
      await eventually(
        async () => (await leader(a)) === 42.5 && (await leader(b)) === 42.5,
        'both fresh',
      );
      for (let i = 0; i < 5; i++) expect([await leader(a), await leader(b)]).toEqual([42.5, 42.5]);
    } finally {
      await changeRound2(-10);
      await publishInvalidation(redis, tagsFor([{ season: MINI_SEASON, rounds: [2] }]));
    }
  });

  test('a malformed invalidation message is ignored', async () => {
    const a = await peer();
    await get(a, standings);
    const size = a.cache.responses.size;
    await redis.publish(invalidationChannel(redis), 'not json');
    await Bun.sleep(50);
    expect(a.cache.responses.size).toBe(size);
  });
});

describeWith([needs.redisServer], 'Redis stopped mid-test', () => {
  test('answers stay correct from the database, /health is degraded, caching resumes', async () => {
    const server = await startPrivateRedis();
    const redis = createServerRedis(server.url);
    redis.on('error', () => {});
    await waitForRedis(redis);
    const services = testServices({ database, redis });
    await services.cache.start();
    try {
      expect(await leader(services)).toBe(32.5);
      expect(await leader(services)).toBe(32.5);
      expect(services.cache.responses.stats.localHits).toBe(1);

      await server.stop();
      await eventually(async () => !services.cache.responses.usable, 'the subscriber to notice');
      await changeRound2(10); // nobody can invalidate while Redis is down
      expect(await leader(services)).toBe(42.5);
      expect(await leader(services)).toBe(42.5);
      const health = await testApp(services).handle(new Request('http://test.local/health'));
      expect(health.status).toBe(200);
      expect((await jsonBody<{ status: string }>(health)).status).toBe('degraded');

      await server.restart();
      await eventually(async () => services.cache.responses.usable, 'the subscriber to return');
      await changeRound2(-10);
      await services.invalidation.invalidate(tagsFor([{ season: MINI_SEASON, rounds: [2] }]));
      expect(await leader(services)).toBe(32.5);
      const hits = services.cache.responses.stats.localHits;
      expect(await leader(services)).toBe(32.5);
      expect(services.cache.responses.stats.localHits).toBe(hits + 1);
    } finally {
      services.cache.close();
      redis.disconnect();
      await server.stop();
    }
  }, 30_000);
});
