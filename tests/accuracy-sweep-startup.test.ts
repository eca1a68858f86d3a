/**
 * An ingest killed after committing a race's results but before its "results changed" hook scored
 * them leaves the race's accuracy missing (new results) or computed from the old results (a
 * penalty). A server started on that database scores it without waiting for another ingest.
 * Needs F1_TEST_DATABASE_URL (skipped with a printed reason).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import { staleAccuracyRaces } from '@f1/db/accuracy/stale';
import { type PredictionFixture, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { startServer } from '@f1/testkit/processes';
import { describeWith, needs } from '@f1/testkit/skip';

describeWith([needs.postgres], 'a server started after a killed ingest', () => {
  let database: TestDatabase;
  let fx: PredictionFixture;
  beforeAll(async () => {
    database = await freshDatabase('postgres');
    fx = await seedPredictionRaces(database.db);
    // Round 1 was scored, then a penalty was committed; round 2's results were never scored.
    await computeRaceAccuracy(database.db, [fx.races.r1]);
    await database.db
      .updateTable('race_results')
      .set({ grid: 9 })
      .where('race_id', '=', fx.races.r1)
      .where('driver_id', '=', fx.drivers.a)
      .execute();
  }, 60_000);
  afterAll(() => database.close());

  test('scores the races the ingest left unscored', async () => {
    expect(await staleAccuracyRaces(database.db)).toEqual([fx.races.r1, fx.races.r2]);
    const server = await startServer({ F1_DATABASE_URL: database.url ?? '' });
    try {
      const deadline = Date.now() + 30_000;
      while ((await staleAccuracyRaces(database.db)).length && Date.now() < deadline)
        await Bun.sleep(50);
      expect(await staleAccuracyRaces(database.db)).toEqual([]);
      const rows = await database.db
        .selectFrom('prediction_accuracy')
        .select(['race_id', 'model'])
        .orderBy('race_id')
        .execute();
      expect(rows).toEqual([
        { race_id: fx.races.r1, model: 'grid-baseline' },
        { race_id: fx.races.r2, model: 'grid-baseline' },
      ]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
