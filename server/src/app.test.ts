import { describe, expect, test } from 'bun:test';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { describeEachBackend } from '@f1/testkit/backends';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase } from '@f1/testkit/postgres';
import { testApp, testClient, testServerRedis, testServices } from '@f1/testkit/server';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { describeWithRedis } from '@f1/testkit/skip';
import {
  DATA_SUMMARY_TTL_MS,
  type DatabaseHealth,
  dataHealth,
  describeData,
  type OverallHealth,
  type RedisHealth,
} from './health.ts';
import { createServerRedis } from './redis.ts';

const get = (app: ReturnType<typeof testApp>, path: string) =>
  app.handle(new Request(`http://test.local${path}`));

describeEachBackend('health endpoints', (database) => {
  test('report the database and an unconfigured Redis', async () => {
    const app = testApp(testServices({ database: database() }));
    const res = await get(app, '/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await jsonBody<OverallHealth>(res);
    expect(body.status).toBe('ok');
    expect(body.database).toMatchObject({ status: 'ok', backend: database().backend });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.redis).toEqual({ status: 'not_configured', mode: 'in-process', latencyMs: null });

    const db = await get(app, '/health/database');
    expect(db.status).toBe(200);
    expect((await jsonBody<DatabaseHealth>(db)).pool.maxConnections).toBeGreaterThanOrEqual(1);
    const redis = await get(app, '/health/redis');
    expect(redis.status).toBe(200);
    expect((await jsonBody<RedisHealth>(redis)).status).toBe('not_configured');
  });

  test('/health reports the data: an empty database is ok with 0 seasons, then the last race with results', async () => {
    const fresh = await freshDatabase(database().backend);
    try {
      const services = testServices({ database: fresh });
      const res = await get(testApp(services), '/health');
      expect(res.status).toBe(200);
      const body = await jsonBody<OverallHealth>(res);
      expect(body.status).toBe('ok');
      expect(body.data).toEqual({ seasons: 0, lastRace: null });
      expect(describeData(body.data).level).toBe('warn');
      expect(describeData(body.data).line).toContain('bun run ingest bootstrap');

      await importCsv(fresh.db, { dirs: [MINI_EXPORT_DIR] });
      // Cached: a probe within the TTL does not query again, so it still says empty.
      const now = Date.now();
      expect(await dataHealth(services, now)).toEqual({ seasons: 0, lastRace: null });
      const after = await dataHealth(services, now + DATA_SUMMARY_TTL_MS + 1);
      expect(after).toEqual({
        seasons: 2,
        lastRace: { season: 2021, round: 2, name: expect.any(String), date: expect.any(String) },
      });
      expect(after?.lastRace?.date).toMatch(/^2021-\d\d-\d\d$/);
      expect(describeData(after)).toEqual({
        level: 'info',
        line: expect.stringMatching(/^data: 2 season\(s\); last race with results 2021 round 2 /),
      });
    } finally {
      await fresh.close();
    }
  });

  test('the tRPC health procedure answers through the whole path, with a real Date', async () => {
    const client = testClient(testApp(testServices({ database: database() })));
    const health = await client.health.query();
    expect(health.status).toBe('ok');
    expect(health.database).toBe('ok');
    expect(health.time).toBeInstanceOf(Date);
  });
});

describe('health with failures', () => {
  test('a stopped database is unhealthy (503), not a crash', async () => {
    const database = await freshDatabase('pglite');
    const app = testApp(testServices({ database }));
    await database.close();
    const res = await get(app, '/health/database');
    expect(res.status).toBe(503);
    const body = await jsonBody<DatabaseHealth>(res);
    expect(body.status).toBe('down');
    expect(typeof body.error).toBe('string');
    const overall = await get(app, '/health');
    expect(overall.status).toBe(503);
    const unhealthy = await jsonBody<OverallHealth>(overall);
    expect(unhealthy.status).toBe('unhealthy');
    expect(unhealthy.data).toBeNull();
    expect(describeData(null).level).toBe('warn');
  });

  test('Redis that cannot be reached makes the service degraded, still 200 overall', async () => {
    const database = await freshDatabase('pglite');
    // Port 1 on loopback: nothing listens there.
    const redis = createServerRedis('redis://127.0.0.1:1');
    redis.on('error', () => {});
    try {
      const app = testApp(testServices({ database, redis }));
      const res = await get(app, '/health');
      expect(res.status).toBe(200);
      const body = await jsonBody<OverallHealth>(res);
      expect(body.status).toBe('degraded');
      expect(body.redis.status).toBe('down');
      expect((await get(app, '/health/redis')).status).toBe(503);
    } finally {
      redis.disconnect();
      await database.close();
    }
  });
});

describeWithRedis('health with a real Redis', () => {
  test('reports latency and memory', async () => {
    const database = await freshDatabase('pglite');
    const redis = await testServerRedis();
    try {
      const res = await get(testApp(testServices({ database, redis })), '/health/redis');
      expect(res.status).toBe(200);
      const body = await jsonBody<RedisHealth>(res);
      expect(body.status).toBe('ok');
      expect(body.mode).toBe('redis');
      expect(body.memory?.usedBytes).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
      await database.close();
    }
  });
});

describe('HTTP edge', () => {
  test('unknown routes get a JSON 404, unknown procedures a tRPC NOT_FOUND', async () => {
    const database = await freshDatabase('pglite');
    try {
      const app = testApp(testServices({ database }));
      const res = await get(app, '/nope');
      expect(res.status).toBe(404);
      // The documented REST error shape, as under /api/v1 (regression: `{ error: { … } }` here).
      expect(await jsonBody<unknown>(res)).toEqual({ code: 'NOT_FOUND', message: 'no such route' });
      const rest = await get(app, '/api/v1/nope');
      expect(Object.keys(await jsonBody<object>(rest)).sort()).toEqual(['code', 'message']);
      const docs = await get(app, '/api/docs/nope.js');
      expect([docs.status, await jsonBody<unknown>(docs)]).toEqual([
        404,
        { code: 'NOT_FOUND', message: 'no such route' },
      ]);
      const trpc = await get(app, '/trpc/nope.nothing');
      expect(trpc.status).toBe(404);
      const body = await jsonBody<{ error: { json: { data: { code: string } } } }>(trpc);
      expect(body.error.json.data.code).toBe('NOT_FOUND');
      expect(JSON.stringify(body)).not.toContain('stack');
    } finally {
      await database.close();
    }
  });
});

describe('unexpected faults', () => {
  test('become a JSON 500 without a stack trace', async () => {
    const broken = {
      get db(): never {
        throw new Error('secret internal detail');
      },
      get kind(): never {
        throw new Error('secret internal detail');
      },
      pool: { maxConnections: 1 },
      close: async () => {},
    };
    const app = testApp(testServices({ database: broken }));
    const res = await get(app, '/health/database');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
    expect(text).not.toContain('secret internal detail');
  });
});
