import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { INVALIDATION_CHANNEL, TAG_VERSION_PREFIX } from '@f1/core/changes/invalidation';
import { silentLogger } from '@f1/core/logger';
import { createRedis, type Redis, waitForRedis } from '@f1/core/redis';
import { seasonStandings } from '@f1/db/standings/refresh';
import { importCsv } from '@f1/jobs/csv/import-csv';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedis } from '@f1/testkit/redis';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { available, needs } from '@f1/testkit/skip';
import { sql } from 'kysely';
import { afterRun, dataChanges } from './after-run.ts';
import { onResultsChanged } from './hooks.ts';

test('dataChanges: rounds per season; schedule-only changes invalidate the whole season', () => {
  expect(
    dataChanges({
      changedRaces: [
        { raceId: 9, season: 2024, round: 5 },
        { raceId: 8, season: 2024, round: 3 },
        { raceId: 7, season: 2023, round: 1 },
      ],
      changedSeasons: [2025, 2024],
    }),
  ).toEqual([{ season: 2023, rounds: [1] }, { season: 2024, rounds: [3, 5] }, { season: 2025 }]);
  expect(dataChanges({ changedRaces: [], changedSeasons: [] })).toEqual([]);
});

describe('afterRun', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  }, 60_000);
  afterAll(() => database.close());

  test('refreshes standings and runs hooks; without Redis only local invalidation happens', async () => {
    const imported = await importCsv(database.db, { dirs: [MINI_EXPORT_DIR] });
    let hookRaces = 0;
    const off = onResultsChanged(async (races) => {
      hookRaces = races.length;
    });
    const report = await afterRun({ db: database.db, redis: null, logger: silentLogger }, imported);
    off();
    expect(report.refreshed).toBe(true);
    expect(report.invalidationError).toBeNull();
    expect(report.invalidated).toEqual([
      { season: 1955, rounds: [1] },
      { season: 2021, rounds: [1, 2] },
    ]);
    expect(hookRaces).toBe(3);
    expect((await seasonStandings(database.db, { season: 2021 })).drivers[0]).toEqual({
      ref: 'driver_a',
      position: 1,
      points: 34.5,
      wins: 1,
    });
  });

  test('a run that changed nothing refreshes nothing', async () => {
    await sql`DELETE FROM race_results WHERE points = 26`.execute(database.db);
    const report = await afterRun(
      { db: database.db, redis: null, logger: silentLogger },
      { changedRaces: [], changedSeasons: [] },
    );
    expect(report).toEqual({
      refreshed: false,
      invalidated: [],
      invalidationError: null,
      hooks: [],
    });
    // Standings still show the deleted result: no refresh happened.
    expect((await seasonStandings(database.db, { season: 2021 })).drivers[0]?.points).toBe(34.5);
  });

  if (!available('after-run Redis tests', needs.redis)) return;

  test('bumps the tag versions of what changed and publishes them (real Redis)', async () => {
    const redis = await testRedis();
    const subscriber = redis.duplicate();
    try {
      await waitForRedis(subscriber);
      const messages: string[] = [];
      await subscriber.subscribe(`${redis.prefix}${INVALIDATION_CHANNEL}`);
      subscriber.on('message', (_channel, message) => messages.push(message));
      const report = await afterRun(
        { db: database.db, redis, logger: silentLogger },
        { changedRaces: [{ raceId: 1, season: 2021, round: 2 }], changedSeasons: [] },
      );
      expect(report.invalidationError).toBeNull();
      expect(await redis.get(`${TAG_VERSION_PREFIX}race:2021:2`)).toBe('1');
      expect(await redis.get(`${TAG_VERSION_PREFIX}standings:2021`)).toBe('1');
      expect(await redis.get(`${TAG_VERSION_PREFIX}race:2021:1`)).toBeNull();
      for (let i = 0; i < 50 && messages.length === 0; i++) await Bun.sleep(10);
      expect(JSON.parse(messages[0] ?? '[]')).toContain('race:2021:2');
    } finally {
      subscriber.disconnect();
      redis.disconnect();
    }
  });

  test('an unreachable Redis is reported, not thrown; the data stays committed', async () => {
    const dead: Redis = createRedis('redis://127.0.0.1:1');
    try {
      const report = await afterRun(
        { db: database.db, redis: dead, logger: silentLogger },
        { changedRaces: [], changedSeasons: [2021] },
      );
      expect(report.refreshed).toBe(true);
      expect(report.invalidationError).toMatch(/./);
    } finally {
      dead.disconnect();
    }
  });
});
