import { beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { replayRatings } from './replay.ts';

/**
 * The mini season by hand (the production K = 128, start 1500):
 * round 1: A, B, C, D classified; n − 1 = 3 so K/3 per unit: A +1.5·128/3 = +64, B +0.5·128/3 = +21.333,
 *          C −21.333, D −64.
 * round 2: D retired with status 'Retired' (not his fault): he keeps 1436 and is not compared.
 */
describeEachBackend('replayRatings', (database) => {
  let mini: MiniSeason;
  const db = () => database().db;
  beforeAll(async () => {
    mini = await seedMiniSeason(db());
  });

  test('writes per-race history and current ratings matching the hand computation', async () => {
    const summary = await replayRatings(db());
    expect(summary).toMatchObject({ races: 2, driverRows: 8, teamRows: 4 });
    const round1 = await db()
      .selectFrom('driver_ratings')
      .select(['driver_id', 'rating_before', 'rating_after'])
      .where('race_id', '=', mini.races.r1)
      .orderBy('driver_id')
      .execute();
    expect(round1.map((r) => r.rating_before)).toEqual([1500, 1500, 1500, 1500]);
    const after = round1.map((r) => r.rating_after);
    expect(after[0]).toBeCloseTo(1564, 9);
    expect(after[1]).toBeCloseTo(1521.333333, 5);
    expect(after[2]).toBeCloseTo(1478.666667, 5);
    expect(after[3]).toBeCloseTo(1436, 9);

    const d = await db()
      .selectFrom('drivers')
      .select('elo_rating')
      .where('id', '=', mini.drivers.d)
      .executeTakeFirstOrThrow();
    expect(d.elo_rating).toBeCloseTo(1436, 9);
    const total = await db().selectFrom('drivers').select('elo_rating').execute();
    expect(total.reduce((s, r) => s + r.elo_rating, 0)).toBeCloseTo(4 * 1500, 6);
  });

  test('is deterministic: recomputing gives bit-identical ratings', async () => {
    const read = () =>
      db()
        .selectFrom('driver_ratings')
        .select(['driver_id', 'race_id', 'rating_after'])
        .orderBy('race_id')
        .orderBy('driver_id')
        .execute();
    const first = await read();
    await replayRatings(db());
    expect(await read()).toEqual(first);
    const teams = await db()
      .selectFrom('team_ratings')
      .select('race_id')
      .where('race_id', '=', mini.races.r2)
      .execute();
    expect(teams).toHaveLength(2);
    expect(MINI_SEASON).toBe(2021);
  });
});
