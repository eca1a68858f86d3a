import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ingestionChanges } from '@f1/core/changes/data-changes';
import {
  type CacheTag,
  INVALIDATION_CHANNEL,
  InvalidationBus,
  TAG_VERSION_PREFIX,
} from '@f1/core/changes/invalidation';
import { type PredictionUpdate, PredictionUpdateBus } from '@f1/core/changes/prediction-updates';
import { type Logger, silentLogger } from '@f1/core/logger';
import { createRedis, type Redis, waitForRedis } from '@f1/core/redis';
import { derivedPending, markDerivedPending } from '@f1/db/ingestion/derived-pending';
import type { DB } from '@f1/db/schema';
import { seasonStandings } from '@f1/db/standings/refresh';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testRedis } from '@f1/testkit/redis';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { available, needs } from '@f1/testkit/skip';
import { type Kysely, sql } from 'kysely';
import { createDataChanges, createProcessChanges } from './data-changes.ts';
import { tagsOf } from './tags.ts';

/** A pipeline over `redis` whose bus records what this process's caches would hear. */
function pipeline(db: Kysely<DB>, redis: Redis | null = null, logger: Logger = silentLogger) {
  const invalidation = new InvalidationBus(redis);
  const predictionUpdates = new PredictionUpdateBus(redis);
  const heard: CacheTag[][] = [];
  const events: PredictionUpdate[] = [];
  invalidation.onInvalidate((tags) => heard.push(tags));
  predictionUpdates.onLocal((u) => events.push(u));
  const changes = createDataChanges({ db, logger, invalidation, predictionUpdates });
  return { changes, heard, events };
}

test('ingestionChanges: seasons with changed races are covered by their rounds, others whole', () => {
  const changes = ingestionChanges({
    changedRaces: [
      { raceId: 9, season: 2024, round: 5 },
      { raceId: 8, season: 2024, round: 3 },
      { raceId: 7, season: 2023, round: 1 },
    ],
    changedSeasons: [2025, 2024],
  });
  expect(changes[1]).toEqual({ kind: 'schedule', seasons: [2025] });
  const tags = tagsOf(changes);
  expect(tags).toContain('race:2024:3');
  expect(tags).toContain('race:2023:1');
  expect(tags).toContain('schedule:2025');
  expect(tags).not.toContain('schedule:2024');
  expect(ingestionChanges({ changedRaces: [], changedSeasons: [] })).toEqual([
    { kind: 'results', races: [] },
    { kind: 'schedule', seasons: [] },
  ]);
  expect(tagsOf(ingestionChanges({ changedRaces: [], changedSeasons: [] }))).toEqual([]);
});

test('tags per kind: weather only its races, predictions and accuracy theirs, ratings the lists', () => {
  expect(tagsOf([{ kind: 'weather', races: [{ season: 2021, round: 2 }] }])).toEqual([
    'race:2021:2',
  ]);
  const key = { season: 2021, round: 1, model: 'm', version: '1', backtest: false };
  expect(
    tagsOf([
      { kind: 'predictions', sets: [key] },
      { kind: 'accuracy', sets: [key] },
    ]),
  ).toEqual(['predictions:2021:1']);
  expect(tagsOf([{ kind: 'ratings' }]).sort()).toEqual(['drivers', 'ratings', 'teams']);
});

test('two pipelines built in one process do not share buses or listeners', async () => {
  const database = await freshDatabase('pglite');
  try {
    const a = createProcessChanges({ db: database.db, logger: silentLogger, redis: null });
    const b = createProcessChanges({ db: database.db, logger: silentLogger, redis: null });
    const heardB: CacheTag[][] = [];
    const eventsB: PredictionUpdate[] = [];
    b.invalidation.onInvalidate((tags) => heardB.push(tags));
    b.predictionUpdates.onLocal((u) => eventsB.push(u));
    const heardA: CacheTag[][] = [];
    a.invalidation.onInvalidate((tags) => heardA.push(tags));
    const key = { season: 2021, round: 1, model: 'm', version: '1', backtest: false };
    await a.changes.changed([{ kind: 'predictions', sets: [key] }]);
    expect(heardA).toEqual([['predictions:2021:1']]);
    expect(heardB).toEqual([]);
    expect(eventsB).toEqual([]);
    expect(await a.predictionUpdates.since(key, '0-0')).toHaveLength(1);
  } finally {
    await database.close();
  }
}, 60_000);

describe('the pipeline after an ingest', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  }, 60_000);
  afterAll(() => database.close());

  test('refreshes standings, replays ratings, scores accuracy, invalidates; without Redis locally', async () => {
    const imported = await importCsv(database.db, { dirs: [MINI_EXPORT_DIR] });
    expect(await derivedPending(database.db)).not.toBeNull();
    const { changes, heard } = pipeline(database.db);
    const report = await changes.changed(ingestionChanges(imported));
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['standings', true],
      ['ratings', true],
      ['accuracy', true],
      ['baseline', true],
      ['invalidate', true],
      ['publish', true],
      ['pending', true],
    ]);
    expect(report.recovered).toBe(true);
    expect(await derivedPending(database.db)).toBeNull();
    expect(heard).toHaveLength(1);
    for (const tag of ['race:1955:1', 'race:2021:1', 'race:2021:2', 'ratings', 'standings:2021'])
      expect(heard[0]).toContain(tag as CacheTag);
    expect((await seasonStandings(database.db, { season: 2021 })).drivers[0]).toEqual({
      ref: 'driver_a',
      position: 1,
      points: 34.5,
      wins: 1,
    });
    const ratings = await sql<{ n: number }>`SELECT count(*)::int AS n FROM driver_ratings`.execute(
      database.db,
    );
    expect(ratings.rows[0]?.n).toBeGreaterThan(0);
  });

  test('a run that changed nothing refreshes nothing', async () => {
    await sql`DELETE FROM race_results WHERE points = 26`.execute(database.db);
    const { changes, heard } = pipeline(database.db);
    const report = await changes.changed(
      ingestionChanges({ changedRaces: [], changedSeasons: [] }),
    );
    expect(report).toEqual({ changes: [], invalidated: [], steps: [], recovered: false });
    expect(heard).toEqual([]);
    // Standings still show the deleted result: no refresh happened.
    expect((await seasonStandings(database.db, { season: 2021 })).drivers[0]?.points).toBe(34.5);
  });

  test('a failed follow-up is logged and reported; the others run; the marking stays', async () => {
    await sql`INSERT INTO derived_pending (id, generation) VALUES (true, 1)`.execute(database.db);
    await sql`ALTER TABLE driver_ratings RENAME TO driver_ratings_away`.execute(database.db);
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
    try {
      const { changes, heard } = pipeline(database.db, null, logger);
      const report = await changes.changed([
        { kind: 'results', races: [{ raceId: 1, season: 2021, round: 2 }] },
      ]);
      const steps = Object.fromEntries(report.steps.map((s) => [s.step, s.ok]));
      expect(steps).toMatchObject({
        standings: true,
        ratings: false,
        accuracy: true,
        invalidate: true,
      });
      expect(report.steps.find((s) => s.step === 'ratings')?.error).toMatch(/driver_ratings/);
      expect(errors.some((e) => e.includes('ratings'))).toBe(true);
      expect(heard[0]).toContain('race:2021:2');
      // Not caught up: the sweep or the next run retries.
      expect(report.recovered).toBe(false);
      expect(await derivedPending(database.db)).toBe(1);
    } finally {
      await sql`ALTER TABLE driver_ratings_away RENAME TO driver_ratings`.execute(database.db);
    }
  });

  test('a non-ingestion writer never clears an ingest’s pending marking', async () => {
    const { changes } = pipeline(database.db);
    const key = { season: 2021, round: 1, model: 'm', version: '1', backtest: false };
    expect((await changes.changed([{ kind: 'predictions', sets: [key] }])).recovered).toBe(false);
    expect(await derivedPending(database.db)).toBe(1);
    // A results writer that changed nothing completes it.
    const report = await pipeline(database.db).changes.changed(
      ingestionChanges({ changedRaces: [], changedSeasons: [] }),
    );
    expect(report.recovered).toBe(true);
    expect(report.invalidated).toContain('schedule:1955');
    expect(await derivedPending(database.db)).toBeNull();
  });

  test('a marking with more generations than the writer committed is followed up whole', async () => {
    const race = { raceId: 1, season: 2021, round: 2 };
    // The writer's own marking only: its changes alone, then cleared.
    await markDerivedPending(database.db);
    const own = await pipeline(database.db).changes.changed([
      { kind: 'results', races: [race], pendingMarks: 1 },
    ]);
    expect(own.invalidated).toContain('race:2021:2');
    expect(own.invalidated).not.toContain('schedule:1955');
    expect(own.recovered).toBe(true);
    // An earlier writer's marking (killed, or a step failed) under this one's: everything.
    await markDerivedPending(database.db);
    await markDerivedPending(database.db);
    const stacked = await pipeline(database.db).changes.changed([
      { kind: 'results', races: [race], pendingMarks: 1 },
    ]);
    expect(stacked.steps.every((s) => s.ok)).toBe(true);
    expect(stacked.invalidated).toContain('race:2021:2');
    expect(stacked.invalidated).toContain('schedule:1955');
    expect(stacked.recovered).toBe(true);
    expect(await derivedPending(database.db)).toBeNull();
  });

  // Without Redis the tests below are left out (and the reason printed once).
  if (!available('data-changes on real Redis', needs.redis)) return;

  test('bumps the tag versions of what changed and publishes them (real Redis)', async () => {
    const redis = await testRedis();
    const subscriber = redis.duplicate();
    try {
      await waitForRedis(subscriber);
      const messages: string[] = [];
      await subscriber.subscribe(`${redis.prefix}${INVALIDATION_CHANNEL}`);
      subscriber.on('message', (_channel, message) => messages.push(message));
      const report = await pipeline(database.db, redis).changes.changed(
        ingestionChanges({
          changedRaces: [{ raceId: 1, season: 2021, round: 2 }],
          changedSeasons: [],
        }),
      );
      expect(report.steps.every((s) => s.ok)).toBe(true);
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
    dead.on('error', () => {});
    try {
      const { changes, heard } = pipeline(database.db, dead);
      const report = await changes.changed(
        ingestionChanges({ changedRaces: [], changedSeasons: [2021] }),
      );
      expect(report.steps.find((s) => s.step === 'standings')?.ok).toBe(true);
      expect(report.steps.find((s) => s.step === 'invalidate')?.error).toMatch(/./);
      // This process's caches were still told.
      expect(heard[0]).toContain('schedule:2021');
    } finally {
      dead.disconnect();
    }
  });
});
