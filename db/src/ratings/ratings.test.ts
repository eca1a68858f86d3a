import { beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { ratingHistory, ratingsAsOf, replaceRatings, resultsForRating } from './ratings.ts';

describeEachBackend('rating queries', (database) => {
  let mini: MiniSeason;
  const db = () => database().db;
  beforeAll(async () => {
    mini = await seedMiniSeason(db());
  });

  test('resultsForRating returns every result chronologically', async () => {
    const rows = await resultsForRating(db());
    expect(rows.map((r) => [r.round, r.position_order])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 1],
      [2, 2],
      [2, 3],
      [2, 4],
    ]);
    expect(rows.at(-1)).toMatchObject({
      driver_id: mini.drivers.d,
      position: null,
      status: 'Retired',
    });
  });

  test('replaceRatings writes history and current ratings; as-of and history read them back', async () => {
    const { a, b, c, d } = mini.drivers;
    const { r1, r2 } = mini.races;
    const drivers = [
      { id: a, raceId: r1, before: 1500, after: 1520 },
      { id: b, raceId: r1, before: 1500, after: 1505 },
      { id: c, raceId: r1, before: 1500, after: 1490 },
      { id: d, raceId: r1, before: 1500, after: 1485 },
      { id: a, raceId: r2, before: 1520, after: 1510 },
      { id: b, raceId: r2, before: 1505, after: 1530 },
      { id: c, raceId: r2, before: 1490, after: 1495 },
    ];
    const teams = [{ id: mini.teams.t1, raceId: r1, before: 1500, after: 1510 }];
    await replaceRatings(db(), { drivers, teams });
    // Replacing again is not additive.
    await replaceRatings(db(), { drivers, teams });

    const current = await db()
      .selectFrom('drivers')
      .select(['driver_ref', 'elo_rating'])
      .orderBy('driver_ref')
      .execute();
    expect(current.map((r) => r.elo_rating)).toEqual([1510, 1530, 1495, 1485]);

    const latest = await ratingsAsOf(db(), { kind: 'driver' });
    expect(latest).toMatchObject({ season: MINI_SEASON, round: 2 });
    expect(latest?.ratings.map((r) => [r.rank, r.id, r.rating, r.change, r.races])).toEqual([
      [1, 'driver_b', 1530, 25, 2],
      [2, 'driver_a', 1510, -10, 2],
      [3, 'driver_c', 1495, 5, 2],
      [4, 'driver_d', 1485, 0, 1],
    ]);
    const afterRound1 = await ratingsAsOf(db(), { kind: 'driver', season: MINI_SEASON, round: 1 });
    expect(afterRound1?.ratings.map((r) => [r.id, r.rating])).toEqual([
      ['driver_a', 1520],
      ['driver_b', 1505],
      ['driver_c', 1490],
      ['driver_d', 1485],
    ]);
    expect(await ratingsAsOf(db(), { kind: 'driver', season: 1990 })).toBeNull();
    const team = await ratingsAsOf(db(), { kind: 'team' });
    expect(team?.ratings).toEqual([
      { rank: 1, id: 'team_one', name: 'Team One', rating: 1510, change: 10, races: 1 },
    ]);

    const history = await ratingHistory(db(), { kind: 'driver', id: 'driver_d' });
    expect(history).toMatchObject({ id: 'driver_d', name: 'Driver D', rating: 1485 });
    expect(history?.history).toEqual([
      {
        season: MINI_SEASON,
        round: 1,
        raceName: 'First GP',
        date: '2021-04-04',
        ratingBefore: 1500,
        ratingAfter: 1485,
        position: 4,
      },
    ]);
    const teamHistory = await ratingHistory(db(), { kind: 'team', id: 'team_one' });
    expect(teamHistory?.history.map((h) => h.position)).toEqual([1]);
    expect(await ratingHistory(db(), { kind: 'driver', id: 'nobody' })).toBeNull();

    await replaceRatings(db(), { drivers: [], teams: [] });
    const reset = await db().selectFrom('drivers').select('elo_rating').execute();
    expect(reset.every((r) => r.elo_rating === 1500)).toBe(true);
  });
});
