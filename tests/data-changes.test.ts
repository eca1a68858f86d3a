/**
 * Every writer goes through the one data-change pipeline, so a running server never keeps serving a
 * stale answer after any of them. For each writer: the server (an in-process app with Redis, served
 * by `app.handle`, its caches subscribed) serves an answer twice — the second time from its caches —
 * then the writer runs through its real entry point (CLI verbs, the scheduler, the ratings and
 * backtest CLIs, a submission over HTTP, the server's own sweep), and the next answer is the new one.
 * Jobs open their own context (their own pipeline, same PostgreSQL and Redis prefix), so their
 * invalidations reach the server the way they reach every server process; one weather run is a real
 * child process. Weather is the writer that used to forget: its rows were stored and the cached
 * `races.weather` kept answering "no observations" for its 24 h TTL.
 * Needs F1_TEST_DATABASE_URL and F1_TEST_REDIS_URL (skipped with a printed reason).
 */

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '@f1/core/config';
import type { Redis } from '@f1/core/redis';
import { markDerivedPending } from '@f1/db/ingestion/derived-pending';
import { enqueueIngestionRun } from '@f1/db/ingestion/runs';
import { recoverDerived } from '@f1/domain/changes/recovery';
import { runBacktest } from '@f1/jobs/baseline/cli';
import { runCli } from '@f1/jobs/cli/run-cli';
import { openJobContext } from '@f1/jobs/context';
import { runRatings } from '@f1/jobs/ratings/cli';
import { Scheduler } from '@f1/jobs/scheduler/scheduler';
import { fakeJolpica, serveFake } from '@f1/jobs/sources/jolpica/testing';
import { issueApiKey } from '@f1/server/auth/api-keys';
import type { Services } from '@f1/server/services';
import { testConfig } from '@f1/testkit/config';
import { entriesFor } from '@f1/testkit/fixtures/predictions';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedisUrl } from '@f1/testkit/redis';
import { testApp, testClient, testServerRedis, testServices } from '@f1/testkit/server';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { available, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';

const CLI = path.join(import.meta.dir, '..', 'jobs', 'src', 'cli', 'main.ts');
const SEASON = 2021;

/** Open-Meteo's archive, over real HTTP (a child process cannot reach msw): hourly values. */
function serveWeather() {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) => {
      const url = new URL(request.url);
      const day = url.searchParams.get('start_date');
      const hours = Array.from({ length: 24 }, (_, h) => h);
      return Response.json({
        latitude: Number(url.searchParams.get('latitude')),
        hourly: {
          time: hours.map((h) => `${day}T${String(h).padStart(2, '0')}:00`),
          temperature_2m: hours.map((h) => 10 + h / 2),
          precipitation: hours.map(() => 0),
          relative_humidity_2m: hours.map((h) => 40 + h),
          wind_speed_10m: hours.map((h) => h * 1.5),
          wind_direction_10m: hours.map((h) => h * 15),
        },
      });
    },
  });
  return Object.assign(server, { baseUrl: `http://127.0.0.1:${server.port}/v1` });
}

const silentIo = {
  stdout: { isTTY: false, write: () => {} },
  stderr: { isTTY: false, write: () => {} },
};

// Jobs reach the server's caches through Redis; the writers' database is PostgreSQL.
if (!available('every writer invalidates the server', needs.postgres, needs.redis)) {
  describe.skip('every writer invalidates the server [PostgreSQL or Redis not configured]', () => {});
} else {
  describe('every writer: the server stops serving the stale answer', () => {
    const jolpica = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR], seasons: [SEASON] });
    const jolpicaServer = serveFake(jolpica);
    const weatherServer = serveWeather();
    let database: TestDatabase;
    let redis: Redis & { prefix: string };
    let services: Services;
    let app: ReturnType<typeof testApp>;
    let config: Config;
    let env: Record<string, string>;

    const client = (headers: Record<string, string> = {}) =>
      testClient(app, { headers, batch: false });
    /** Answers the server gave without running the procedure (either cache). */
    const cacheHits = () =>
      services.cache.query.stats.hits +
      services.cache.responses.stats.localHits +
      services.cache.responses.stats.sharedHits;
    const cli = (argv: string[]) => runCli(argv, silentIo, { config });
    const open = () => openJobContext(config);

    /**
     * Reads the answer twice (the second from a cache), runs the writer, then expects a different
     * answer within a few seconds (a job's invalidation arrives over Redis pub/sub). Returns both.
     */
    async function staleThenFresh<T>(
      read: () => Promise<T>,
      write: () => Promise<unknown>,
    ): Promise<{ before: T; after: T }> {
      const before = await read();
      const hits = cacheHits();
      expect(await read()).toEqual(before);
      expect(cacheHits()).toBeGreaterThan(hits); // really cached: a stale answer was possible
      await write();
      const deadline = Date.now() + 3_000;
      let after = await read();
      while (Bun.deepEquals(after, before) && Date.now() < deadline) {
        await Bun.sleep(50);
        after = await read();
      }
      expect(after).not.toEqual(before);
      return { before, after };
    }

    beforeAll(async () => {
      database = await freshDatabase('postgres');
      redis = await testServerRedis();
      // Polling a stale answer must not run into the anonymous rate limit.
      services = testServices({
        database,
        redis,
        config: testConfig({ F1_RATE_LIMIT_REQUESTS: '100000' }),
      });
      await services.cache.start();
      app = testApp(services);
      env = {
        F1_ENVIRONMENT: 'test',
        F1_DATABASE_URL: database.url ?? '',
        F1_REDIS_URL: testRedisUrl() ?? '',
        F1_REDIS_KEY_PREFIX: redis.prefix,
        F1_ERGAST_BASE_URL: jolpicaServer.baseUrl,
        F1_ERGAST_REQUESTS_PER_SECOND: '100',
        F1_WEATHER_BASE_URL: weatherServer.baseUrl,
        F1_JOBS_LOCK_NAME: `data-changes-${process.pid}`,
      };
      config = testConfig(env);
      expect(await cli(['import-csv', MINI_EXPORT_DIR])).toBe(0);
    }, 60_000);
    afterAll(async () => {
      jolpicaServer.stop(true);
      weatherServer.stop(true);
      services.cache.close();
      services.predictionUpdates.close();
      redis.disconnect();
      await database.close();
    });

    test('weather CLI (in this process): races.weather shows the new observation at once', async () => {
      const { before, after } = await staleThenFresh(
        async () =>
          (await client().races.weather.query({ season: SEASON, round: 1 })).observations.length,
        async () => expect(await cli(['weather', String(SEASON), '--round', '1'])).toBe(0),
      );
      expect([before, after]).toEqual([0, 1]);
    });

    test('weather CLI as a real process: this server hears it over Redis', async () => {
      const { before, after } = await staleThenFresh(
        async () =>
          (await client().races.weather.query({ season: SEASON, round: 3 })).observations.length,
        async () => {
          const child = Bun.spawn(['bun', CLI, 'weather', String(SEASON), '--round', '3'], {
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
            stdout: 'pipe',
            stderr: 'pipe',
          });
          const code = await child.exited;
          if (code !== 0) throw new Error(await new Response(child.stderr).text());
        },
      );
      expect([before, after]).toEqual([0, 1]);
    }, 60_000);

    test('CSV import CLI: a renamed race shows in the calendar', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'f1-data-changes-'));
      cpSync(MINI_EXPORT_DIR, dir, { recursive: true });
      const races = path.join(dir, 'races.csv');
      writeFileSync(
        races,
        readFileSync(races, 'utf8').replace('"First Grand Prix"', '"Renamed GP"'),
      );
      const { after } = await staleThenFresh(
        async () => (await client().races.calendar.query({ season: SEASON })).map((r) => r.name),
        async () => expect(await cli(['import-csv', dir])).toBe(0),
      );
      expect(after).toContain('Renamed GP');
    });

    const points = async (round: number) =>
      (await client().races.results.query({ season: SEASON, round })).rows.map((r) => r.points);

    test('API ingest CLI (`race`): revised points show in the race results', async () => {
      for (const r of jolpica.results) if (r.round === 2) r.points = (r.points ?? 0) + 1;
      const { before, after } = await staleThenFresh(
        () => points(2),
        async () => expect(await cli(['race', String(SEASON), '--round', '2'])).toBe(0),
      );
      expect(after).toEqual(before.map((p) => p + 1));
    });

    test('API ingest CLI (`race --laps`, the timing change): revised lap times show in races.laps', async () => {
      for (const l of jolpica.laps) if (l.round === 2) l.time_millis = (l.time_millis ?? 0) + 1_000;
      const times = async () =>
        JSON.stringify(await client().races.laps.query({ season: SEASON, round: 2 }));
      const { before, after } = await staleThenFresh(times, async () =>
        expect(await cli(['race', String(SEASON), '--round', '2', '--laps'])).toBe(0),
      );
      const millis = (json: string) =>
        [...json.matchAll(/"(?:time_?[mM]illis|timeMs|millis)":(\d+)/g)].map((m) => Number(m[1]));
      expect(millis(after)).toEqual(millis(before).map((ms) => ms + 1_000));
      expect(millis(after).length).toBeGreaterThan(0);
    });

    test('scheduler queue job (an admin-queued run): revised points show', async () => {
      for (const r of jolpica.results) if (r.round === 1) r.points = (r.points ?? 0) + 1;
      await enqueueIngestionRun(database.db, {
        kind: 'race',
        season: SEASON,
        round: 1,
        requestedBy: 'admin',
      });
      const context = await open();
      try {
        const scheduler = new Scheduler({ context, now: () => new Date('2021-06-01T00:00:00Z') });
        const { before, after } = await staleThenFresh(
          () => points(1),
          async () => expect((await scheduler.trigger('queue'))?.ok).toBe(true),
        );
        expect(after).toEqual(before.map((p) => p + 1));
      } finally {
        await context.close();
      }
    });

    test('scheduler latest-round job: its weather shows too', async () => {
      const context = await open();
      try {
        const scheduler = new Scheduler({ context, now: () => new Date('2021-04-19T12:00:00Z') });
        const { before, after } = await staleThenFresh(
          async () =>
            (await client().races.weather.query({ season: SEASON, round: 2 })).observations.length,
          async () => expect((await scheduler.trigger('latest-round'))?.ok).toBe(true),
        );
        expect([before, after]).toEqual([0, 1]);
      } finally {
        await context.close();
      }
    });

    test('ratings CLI: ratings replayed after a correction show', async () => {
      // A correction written by hand (no writer reported it): round 2's winner disqualified.
      await sql`UPDATE race_results SET position = NULL, position_text = 'D', position_order = 99
        WHERE race_id = (SELECT id FROM races WHERE season = ${SEASON} AND round = 2)
          AND position_order = 1`.execute(database.db);
      const { after } = await staleThenFresh(
        async () => (await client().ratings.drivers.query({})).ratings.map((d) => d.rating),
        async () => expect(await runRatings([], () => {}, open)).toBe(0),
      );
      expect(after.length).toBeGreaterThan(0);
    });

    test('backtest CLI: stored backtest sets show in predictions.list', async () => {
      const { before, after } = await staleThenFresh(
        async () =>
          (await client().predictions.list.query({ season: SEASON, round: 2, backtest: true })).sets
            .length,
        async () =>
          expect(await runBacktest([String(SEASON), String(SEASON)], () => {}, open)).toBe(0),
      );
      // elo-baseline v1 and v2, each before and after qualifying.
      expect([before, after]).toEqual([0, 4]);
    });

    test('prediction submission over HTTP: the new set shows', async () => {
      const { key } = await issueApiKey(database.db, {
        name: 'ml',
        role: 'ml_service',
        createdBy: null,
      });
      const { after } = await staleThenFresh(
        async () =>
          (
            await client().predictions.list.query({ season: SEASON, round: 1, backtest: true })
          ).sets.map((s) => s.model),
        () =>
          client({ 'x-api-key': key }).predictions.submit.mutate({
            season: SEASON,
            round: 1,
            model: 'ml-model',
            version: '1',
            backtest: true,
            stage: 'post_qualifying',
            entries: entriesFor(),
          }),
      );
      expect(after).toContain('ml-model');
    });

    test("the server's accuracy sweep: accuracy rescored after a grid correction shows", async () => {
      await sql`UPDATE race_results SET grid = grid + 10
        WHERE race_id = (SELECT id FROM races WHERE season = ${SEASON} AND round = 2)`.execute(
        database.db,
      );
      await staleThenFresh(
        async () =>
          (await client().accuracy.byRace.query({ season: SEASON, round: 2, backtest: true }))
            ?.baseline,
        () => recoverDerived(services),
      );
    });

    test("the server's derived-data sweep: a killed writer's results show in the standings", async () => {
      // What a writer killed after its commit leaves: rows and the marker, no follow-ups.
      await database.db.transaction().execute(async (trx) => {
        await sql`UPDATE race_results SET points = points + 100
          WHERE race_id = (SELECT id FROM races WHERE season = ${SEASON} AND round = 1)
            AND position_order = 2`.execute(trx);
        await markDerivedPending(trx);
      });
      const { after } = await staleThenFresh(
        async () =>
          (await client().standings.drivers.query({ season: SEASON })).rows.map((s) => s.points),
        async () => expect((await recoverDerived(services)).pending).toBe(true),
      );
      expect(Math.max(...after)).toBeGreaterThan(100);
    });
  });
}
