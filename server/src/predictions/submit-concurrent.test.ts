import { beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { apiKeyPrincipal, callerFor } from '@f1/testkit/callers';
import { MINI_SEASON, type MiniSeason } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { testServices } from '@f1/testkit/server';

const ml = apiKeyPrincipal(7);
const CONCURRENT = 16;

/**
 * Regression (issue 11, finding 7): concurrent backtest submissions to one finished race each
 * rescored the race with DELETE + INSERT from a snapshot read outside any lock, so all but one
 * failed with `duplicate key … prediction_accuracy_race_model_stage_key` (12–13 of 16) although
 * their sets were stored — and the winner could overwrite the race's rows from a stale read.
 */
describeEachBackend('concurrent backtest submissions to one race', (database) => {
  let mini: MiniSeason;
  beforeAll(async () => {
    mini = await seedPredictionRaces(database().db);
  });

  test(`${CONCURRENT} at once all succeed and every set is scored exactly once`, async () => {
    const caller = callerFor(testServices({ database: database() }), ml);
    const outcomes = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) =>
        caller.predictions.submit({
          season: MINI_SEASON,
          round: 2,
          model: `concurrent-${i}`,
          version: '1',
          stage: 'pre_qualifying',
          backtest: true,
          entries: entriesFor(),
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    console.info(`concurrent backtest submissions: ${failed.length}/${CONCURRENT} failed`);
    expect(failed.map((f) => String(f.reason))).toEqual([]);

    const sets = await database()
      .db.selectFrom('prediction_sets')
      .select(['id', 'model'])
      .where('race_id', '=', mini.races.r2)
      .execute();
    const rows = await database()
      .db.selectFrom('prediction_accuracy')
      .select(['model', 'set_id'])
      .where('race_id', '=', mini.races.r2)
      .orderBy('model')
      .execute();
    // One row per stored set (pointing at it) plus the race's grid baseline, nothing twice.
    expect(sets).toHaveLength(CONCURRENT);
    expect(rows).toEqual(
      [
        { model: 'grid-baseline', set_id: null },
        ...sets.map((s) => ({ model: s.model, set_id: s.id })),
      ].sort((x, y) => x.model.localeCompare(y.model)),
    );
  });
});
