/**
 * The response cache across real server processes: two `bun run start` processes share PostgreSQL and
 * Redis; an ingestion-style change (rows updated, standings refreshed, the tags published as a job's
 * pipeline does) must
 * leave neither serving the stale answer.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { publishInvalidation, tagsFor } from '@f1/core/changes/invalidation';
import { type Redis, waitForRedis } from '@f1/core/redis';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { createServerRedis } from '@f1/server/redis';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { type ServerProcess, startServer } from '@f1/testkit/processes';
import { testRedisUrl } from '@f1/testkit/redis';
import { describeWith, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';

describeWith([needs.postgres, needs.redis], 'two server processes, one ingestion change', () => {
  let database: TestDatabase;
  let redis: Redis;
  const servers: ServerProcess[] = [];
  const prefix = `f1t:${process.pid}:2p:`;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await seedReadFixtures(database.db);
    redis = createServerRedis(testRedisUrl() ?? '', { keyPrefix: prefix });
    await waitForRedis(redis);
    const env = {
      F1_DATABASE_URL: database.url ?? '',
      F1_DB_POOL_SIZE: '2',
      F1_REDIS_URL: testRedisUrl() ?? '',
      F1_REDIS_KEY_PREFIX: prefix,
    };
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    redis?.disconnect();
    await database?.close();
  });

  const url = `/trpc/standings.drivers?input=${encodeURIComponent(JSON.stringify({ json: { season: MINI_SEASON } }))}`;
  const fetchStandings = async (server: ServerProcess) => {
    const res = await fetch(`${server.url}${url}`);
    const body = await res.text();
    const points = (
      JSON.parse(body) as { result: { data: { json: { rows: { points: number }[] } } } }
    ).result.data.json.rows[0]?.points;
    return { body, points, etag: res.headers.get('etag') };
  };

  test('both serve from cache, then neither serves the stale answer after the change', async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error('servers not started');
    for (const server of [a, b, a, b]) expect((await fetchStandings(server)).points).toBe(32.5);

    // Ingestion: driver_b's round-2 result changes and the standings are refreshed.
    await sql`UPDATE race_results SET points = points + 10
      WHERE race_id = (SELECT id FROM races WHERE season = ${MINI_SEASON} AND round = 2)
        AND driver_id = (SELECT id FROM drivers WHERE driver_ref = 'driver_b')`.execute(
      database.db,
    );
    await refreshStandings(database.db);
    // Before the invalidation both still answer from their caches: the caches are really in use.
    for (const server of [a, b]) expect((await fetchStandings(server)).points).toBe(32.5);

    await publishInvalidation(redis, tagsFor([{ season: MINI_SEASON, rounds: [2] }]));
    const deadline = Date.now() + 3_000;
    for (const server of [a, b]) {
      while ((await fetchStandings(server)).points !== 42.5) {
        if (Date.now() > deadline) throw new Error(`${server.url} still stale after 3 s`);
        await Bun.sleep(5);
      }
    }
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetchStandings(i % 2 ? a : b)),
    );
    expect(new Set(answers.map((x) => x.points))).toEqual(new Set([42.5]));
    expect(new Set(answers.map((x) => x.body)).size).toBe(1);
    expect(new Set(answers.map((x) => x.etag)).size).toBe(1);
  }, 30_000);
});
