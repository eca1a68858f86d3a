import { beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import {
  entriesFor,
  type PredictionFixture,
  seedPredictionRaces,
} from '@f1/testkit/fixtures/predictions';
import { submitPredictionSets } from '../predictions/submit.ts';
import { computeRaceAccuracy } from './compute.ts';
import { staleAccuracyRaces } from './stale.ts';

describeEachBackend('staleAccuracyRaces', (database) => {
  let fx: PredictionFixture;
  const db = () => database().db;
  beforeAll(async () => {
    fx = await seedPredictionRaces(db());
  });

  test('finished races never scored are stale until scored', async () => {
    expect(await staleAccuracyRaces(db())).toEqual([fx.races.r1, fx.races.r2]);
    await computeRaceAccuracy(db(), [fx.races.r1, fx.races.r2]);
    expect(await staleAccuracyRaces(db())).toEqual([]);
  });

  test('a result changed after scoring (the hook never ran) makes its race stale', async () => {
    await db()
      .updateTable('race_results')
      .set({ grid: 9 })
      .where('race_id', '=', fx.races.r2)
      .where('driver_id', '=', fx.drivers.a)
      .execute();
    expect(await staleAccuracyRaces(db())).toEqual([fx.races.r2]);
    await computeRaceAccuracy(db(), [fx.races.r2]);
    expect(await staleAccuracyRaces(db())).toEqual([]);
  });

  test('a current set of a finished race without its row makes the race stale', async () => {
    const [set] = await submitPredictionSets(
      db(),
      [
        {
          season: MINI_SEASON,
          round: 1,
          model: 'stale',
          version: '1',
          backtest: true,
          entries: entriesFor(),
        },
      ],
      { submittedBy: 'key:1' },
    );
    expect(await staleAccuracyRaces(db())).toEqual([]);
    await db()
      .deleteFrom('prediction_accuracy')
      .where('set_id', '=', set?.setId ?? 0)
      .execute();
    expect(await staleAccuracyRaces(db())).toEqual([fx.races.r1]);
  });

  test('rows of a race whose results were removed make it stale', async () => {
    await computeRaceAccuracy(db(), [fx.races.r1]);
    await db().deleteFrom('race_results').where('race_id', '=', fx.races.r1).execute();
    expect(await staleAccuracyRaces(db())).toEqual([fx.races.r1]);
    await computeRaceAccuracy(db(), [fx.races.r1]);
    expect(await staleAccuracyRaces(db())).toEqual([]);
  });
});
