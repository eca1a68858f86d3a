import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { checkFence } from '@f1/db/ingestion/fences';
import { enqueueIngestionRun, getIngestionRun, listIngestionRuns } from '@f1/db/ingestion/runs';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedis } from '@f1/testkit/redis';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { available, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { setupServer } from 'msw/node';
import type { JobContext } from '../context.ts';
import { SourceHttp } from '../sources/http/http.ts';
import { JolpicaClient } from '../sources/jolpica/client.ts';
import { FAKE_BASE_URL, fakeJolpica } from '../sources/jolpica/testing.ts';
import { Scheduler } from './scheduler.ts';

const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
const server = setupServer(...fake.handlers);
let database: TestDatabase;
let redis: Redis | null = null;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  database = await freshDatabase('pglite');
  if (available('scheduler tests on the Redis lock (the process-local lock is used)', needs.redis))
    redis = await testRedis();
}, 60_000);
afterAll(async () => {
  server.close();
  redis?.disconnect();
  await database.close();
});

const client = () =>
  new JolpicaClient(
    new SourceHttp({
      timeoutMs: 2_000,
      retryAttempts: 1,
      requestsPerSecond: 1_000,
      hourlyBudget: 1_000,
      backoffBaseMs: 1,
    }),
    FAKE_BASE_URL,
  );

function scheduler(now: string, env: Record<string, string> = {}) {
  const context: JobContext = {
    config: testConfig({ F1_JOBS_LOCK_NAME: `test-${process.pid}`, ...env }),
    database,
    db: database.db,
    redis,
    logger: silentLogger,
    changes: createProcessChanges({ db: database.db, logger: silentLogger, redis }).changes,
    close: async () => {},
  };
  return new Scheduler({ context, client: client(), weather: null, now: () => new Date(now) });
}

const runs = () => listIngestionRuns(database.db, { limit: 50 });

describe('scheduler jobs', () => {
  test('schedules come from the config; "off" disables a job', () => {
    expect(scheduler('2021-04-20T12:00:00Z', { F1_JOBS_VALIDATE_CRON: 'off' }).schedules()).toEqual(
      [
        ['latest-round', '0 */6 * * *'],
        ['race-weekend', '*/15 * * * *'],
        ['schedule', '0 4 * * *'],
        ['queue', '* * * * *'],
      ],
    );
  });

  test('latest-round: fetches the calendar when missing, then ingests the round raced this week', async () => {
    const outcome = await scheduler('2021-04-20T12:00:00Z').trigger('latest-round');
    expect(outcome).toEqual({ ok: true, note: expect.stringContaining('2021: rounds 2 written') });
    const rows = await sql<{ round: number; n: number }>`
      SELECT ra.round, count(*)::int AS n FROM race_results r JOIN races ra ON ra.id = r.race_id
      WHERE ra.season = 2021 GROUP BY ra.round ORDER BY ra.round`.execute(database.db);
    expect(rows.rows).toEqual([{ round: 2, n: 4 }]);
    expect((await runs()).map((r) => [r.kind, r.round, r.status, r.requestedBy])).toEqual([
      ['race', 2, 'succeeded', 'scheduler'],
      ['schedule', null, 'succeeded', 'scheduler'],
    ]);
  });

  test('latest-round: a raced round without lap timings gets its laps and pit stops, once', async () => {
    const timing = async () =>
      (
        await sql<{ laps: number; stops: number }>`
          SELECT (SELECT count(*) FROM lap_times l JOIN races ra ON ra.id = l.race_id
                   WHERE ra.season = 2021 AND ra.round = 2)::int AS laps,
                 (SELECT count(*) FROM pit_stops p JOIN races ra ON ra.id = p.race_id
                   WHERE ra.season = 2021 AND ra.round = 2)::int AS stops`.execute(database.db)
      ).rows[0];
    // The first latest-round run (above) read round 2's timings with its results.
    expect(await timing()).toEqual({ laps: 4, stops: 1 });
    const seen = fake.requests.length;
    expect((await scheduler('2021-04-21T12:00:00Z').trigger('latest-round'))?.ok).toBe(true);
    const asked = fake.requests.slice(seen);
    expect(asked.some((u) => u.includes('/2/results'))).toBe(true);
    expect(asked.filter((u) => /\/(laps|pitstops)/.test(u))).toEqual([]);
    // Gone (e.g. deleted by hand): the next run reads them again.
    await sql`DELETE FROM lap_times`.execute(database.db);
    await sql`DELETE FROM pit_stops`.execute(database.db);
    expect((await scheduler('2021-04-21T12:00:00Z').trigger('latest-round'))?.ok).toBe(true);
    expect(await timing()).toEqual({ laps: 4, stops: 1 });
  });

  test('latest-round: a calendar the source cannot give is a failed run, not "no round raced yet"', async () => {
    // 2019 is not in the database: the job asks the source for its calendar, which is down.
    fake.fail(/\/2019\.json/, { drop: true }, 10);
    for (const job of ['latest-round', 'race-weekend'] as const) {
      const outcome = await scheduler('2019-06-01T12:00:00Z').trigger(job);
      expect(outcome?.ok).toBe(false);
      expect(outcome?.note).not.toContain('no round raced yet');
      expect(outcome?.note).not.toContain('no race weekend on');
    }
    const failed = (await runs()).filter((r) => r.season === 2019);
    expect(failed.map((r) => [r.kind, r.status])).toEqual([
      ['schedule', 'failed'],
      ['schedule', 'failed'],
    ]);
    fake.faults.length = 0;
  });

  test('race-weekend runs only while a weekend is on', async () => {
    expect(await scheduler('2021-05-20T12:00:00Z').trigger('race-weekend')).toEqual({
      ok: true,
      note: 'no race weekend on',
    });
    const during = await scheduler('2021-04-03T12:00:00Z').trigger('race-weekend');
    expect(during?.note).toContain('rounds 1 written');
  });

  test('queue: claims the oldest queued run and records its outcome; CLI-only kinds fail clearly', async () => {
    const { run } = await enqueueIngestionRun(database.db, {
      kind: 'qualifying',
      season: 2021,
      round: 1,
      requestedBy: 'user:7',
    });
    const csv = await enqueueIngestionRun(database.db, {
      kind: 'import-csv',
      requestedBy: 'user:7',
    });
    const s = scheduler('2021-06-01T00:00:00Z');
    expect((await s.trigger('queue'))?.ok).toBe(true);
    expect(await getIngestionRun(database.db, run.id)).toMatchObject({
      status: 'succeeded',
      requestedBy: 'user:7',
    });
    const failed = await s.trigger('queue');
    expect(failed?.ok).toBe(false);
    expect(await getIngestionRun(database.db, csv.run.id)).toMatchObject({
      status: 'failed',
      error: 'a "import-csv" run cannot be run by the scheduler; use the CLI',
    });
    await enqueueIngestionRun(database.db, {
      kind: 'weather',
      season: 2021,
      round: 1,
      requestedBy: 'user:7',
    });
    expect((await s.trigger('queue'))?.note).toContain('weather skipped: no provider configured');
    expect(await s.trigger('queue')).toEqual({ ok: true, note: 'queue empty' });
  });

  test('validate and schedule jobs', async () => {
    const s = scheduler('2021-06-01T00:00:00Z');
    expect(await s.trigger('schedule')).toMatchObject({ ok: true });
    expect(await s.trigger('validate')).toEqual({
      ok: true,
      note: 'validate 2021 after round 2: 0 difference(s)',
    });
    await sql`DELETE FROM sprint_results`.execute(database.db);
    await refreshStandings(database.db);
    const validate = await s.trigger('validate');
    expect(validate?.ok).toBe(false);
    expect(validate?.note).toBe('validate 2021 after round 2: 5 difference(s)');
    expect(await scheduler('1999-06-01T00:00:00Z').trigger('validate')).toMatchObject({
      ok: true,
      note: 'validate 1999: no official standings yet',
    });
  });

  test('one job at a time: a second trigger while one runs is skipped', async () => {
    fake.fail(/\/results\.json/, { delayMs: 500 });
    const a = scheduler('2021-04-20T12:00:00Z');
    const b = scheduler('2021-04-20T12:00:00Z');
    const seen = fake.requests.length;
    const first = a.trigger('latest-round');
    // b tries once a is inside its job (its first request reached the source).
    while (fake.requests.length === seen) await Bun.sleep(5);
    expect(await b.trigger('latest-round')).toBeNull();
    expect((await first)?.ok).toBe(true);
  });

  test('lease tokens start above the fence the database has seen', async () => {
    await checkFence(database.db, { name: 'stale-test', token: 1_000_000 });
    const s = scheduler('2021-04-20T12:00:00Z', { F1_JOBS_LOCK_NAME: 'stale-test' });
    expect((await s.trigger('latest-round'))?.ok).toBe(true);
    const fence = await database.db
      .selectFrom('ingestion_fences')
      .select('token')
      .where('name', '=', 'stale-test')
      .executeTakeFirstOrThrow();
    expect(fence.token).toBeGreaterThan(1_000_000);
  });

  test('stop(): the running job ends after its current round, the lock is released', async () => {
    await sql`DELETE FROM races WHERE season = 2021`.execute(database.db);
    fake.fail(/\/results\.json/, { delayMs: 500 });
    const s = scheduler('2021-04-20T12:00:00Z');
    s.start();
    const seen = fake.requests.length;
    const running = s.trigger('latest-round');
    while (!fake.requests.slice(seen).some((u) => u.includes('/results.json'))) await Bun.sleep(5);
    await s.stop();
    const outcome = await running;
    expect(outcome?.ok).toBe(false);
    expect(outcome?.note).toContain('stopped early');
    expect(await scheduler('2021-04-20T12:00:00Z').trigger('race-weekend')).not.toBeNull();
  });
});
