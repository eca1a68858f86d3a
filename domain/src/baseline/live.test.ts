import { beforeAll, expect, test } from 'bun:test';
import { listPredictions } from '@f1/db/predictions/predictions';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { type PredictionFixture, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { predictNextRace } from './live.ts';

describeEachBackend('elo-baseline live predictions', (database) => {
  let fx: PredictionFixture;
  const db = () => database().db;
  beforeAll(async () => {
    fx = await seedPredictionRaces(db());
    // Ratings as if recomputed: D strongest, A weakest.
    for (const [driver, rating] of [
      [fx.drivers.a, 1400],
      [fx.drivers.b, 1500],
      [fx.drivers.c, 1550],
      [fx.drivers.d, 1700],
    ] as const) {
      await db()
        .updateTable('drivers')
        .set({ elo_rating: rating })
        .where('id', '=', driver)
        .execute();
    }
  });

  test('before qualifying: a pre-qualifying set ordered by rating; a rerun is a no-op', async () => {
    const first = await predictNextRace(db());
    expect(first).toMatchObject({
      round: 3,
      stage: 'pre_qualifying',
      status: 'created',
      backtest: false,
    });
    expect((await predictNextRace(db()))?.status).toBe('unchanged');
    const stored = await listPredictions(db(), {
      season: MINI_SEASON,
      round: 3,
      model: 'elo-baseline',
    });
    expect(stored?.sets[0]?.entries.map((e) => e.driverId)).toEqual([
      'driver_d',
      'driver_c',
      'driver_b',
      'driver_a',
    ]);
  });

  test('after qualifying: a post-qualifying set that uses the grid', async () => {
    const { a, b, c, d } = fx.drivers;
    // A on pole, D last: the grid pulls A up.
    await db()
      .insertInto('qualifying_results')
      .values(
        [a, b, c, d].map((driver, i) => ({
          race_id: fx.upcoming.r3,
          driver_id: driver,
          position: i + 1,
        })),
      )
      .execute();
    const post = await predictNextRace(db());
    expect(post).toMatchObject({ round: 3, stage: 'post_qualifying', status: 'created' });
    const stored = await listPredictions(db(), {
      season: MINI_SEASON,
      round: 3,
      model: 'elo-baseline',
      stage: 'post_qualifying',
    });
    const pre = await listPredictions(db(), {
      season: MINI_SEASON,
      round: 3,
      model: 'elo-baseline',
      stage: 'pre_qualifying',
    });
    const winA = (s: typeof stored) =>
      s?.sets[0]?.entries.find((e) => e.driverId === 'driver_a')?.winProbability ?? 0;
    expect(winA(stored)).toBeGreaterThan(winA(pre));
  });

  test('nothing to predict once every race is frozen', async () => {
    expect(await predictNextRace(db(), { now: new Date(fx.future.getTime() + 1) })).toBeNull();
  });
});
