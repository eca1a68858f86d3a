import { beforeAll, expect, test } from 'bun:test';
import { type Logger, silentLogger } from '@f1/core/logger';
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import { staleAccuracyRaces } from '@f1/db/accuracy/stale';
import { describeEachBackend } from '@f1/testkit/backends';
import type { MiniSeason } from '@f1/testkit/fixtures/mini-season';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { freshDatabase } from '@f1/testkit/postgres';
import { until } from '@f1/testkit/wait';
import { createProcessChanges } from '../changes/data-changes.ts';
import { recoverAccuracy, startAccuracyRecovery } from './recovery.ts';

/**
 * Regression (issue 11, finding 8, ingestion path): an ingest killed after committing results but
 * before its "results changed" hook left the race scored against its old results (or not at all)
 * until the next ingest of that race.
 */
describeEachBackend('the accuracy sweep', (database) => {
  let mini: MiniSeason;
  const services = () => ({
    db: database().db,
    logger: silentLogger,
    changes: createProcessChanges({ db: database().db, logger: silentLogger, redis: null }).changes,
  });
  /** A penalty committed by an ingest that died before scoring it. */
  const penalty = (grid: number) =>
    database()
      .db.updateTable('race_results')
      .set({ grid })
      .where('race_id', '=', mini.races.r2)
      .where('driver_id', '=', mini.drivers.a)
      .execute();
  const gridHash = async () =>
    (
      await database()
        .db.selectFrom('prediction_accuracy')
        .select('results_hash')
        .where('race_id', '=', mini.races.r2)
        .where('model', '=', 'grid-baseline')
        .executeTakeFirstOrThrow()
    ).results_hash;

  beforeAll(async () => {
    mini = await seedPredictionRaces(database().db);
  });

  test('rescores races never scored and races whose results changed, then finds nothing', async () => {
    const process = createProcessChanges({ db: database().db, logger: silentLogger, redis: null });
    const heard: string[][] = [];
    process.invalidation.onInvalidate((tags) => heard.push(tags));
    const events: string[] = [];
    process.predictionUpdates.onLocal((u) => events.push(`${u.kind}:${u.round}`));
    const swept = { db: database().db, logger: silentLogger, changes: process.changes };
    expect(await recoverAccuracy(swept)).toEqual({ races: 2, rows: 2 });
    // Reported like any writer's change: the races' caches are dropped and subscribers told.
    expect(heard).toEqual([[`predictions:${MINI_SEASON}:1`, `predictions:${MINI_SEASON}:2`]]);
    expect(events).toEqual(['accuracy:1', 'accuracy:2']);
    const before = await gridHash();
    await penalty(7);
    expect(await recoverAccuracy(services())).toEqual({ races: 1, rows: 1 });
    expect(await gridHash()).not.toBe(before);
    expect(await recoverAccuracy(services())).toEqual({ races: 0, rows: 0 });
  });

  test('the periodic sweep runs at once, then on its interval', async () => {
    await penalty(8);
    const stop = startAccuracyRecovery(services(), 50);
    try {
      await until(async () => (await staleAccuracyRaces(database().db)).length === 0);
      await penalty(9);
      await until(async () => (await staleAccuracyRaces(database().db)).length === 0);
    } finally {
      stop();
    }
    await computeRaceAccuracy(database().db, [mini.races.r2]);
  });
});

test('a failed sweep is logged, not thrown', async () => {
  const closed = await freshDatabase('pglite');
  await closed.close();
  const errors: string[] = [];
  const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
  const { changes } = createProcessChanges({ db: closed.db, logger, redis: null });
  const stop = startAccuracyRecovery({ db: closed.db, logger, changes }, 60_000);
  await until(async () => errors.length > 0);
  stop();
  expect(errors).toEqual(['accuracy sweep failed']);
});
