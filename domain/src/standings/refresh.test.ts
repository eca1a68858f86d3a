/** The stored standings the rules engine writes, on the mini season: both back ends, one code path. */
import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { refreshSeasonStandings, refreshStandings } from './refresh.ts';

describeEachBackend('stored standings', (database) => {
  let season: MiniSeason;

  const driverStandings = (round: number) =>
    database()
      .db.selectFrom('driver_standings as s')
      .innerJoin('drivers as d', 'd.id', 's.driver_id')
      .select(['d.driver_ref as driver', 's.position', 's.points', 's.wins'])
      .where('s.season', '=', MINI_SEASON)
      .where('s.round', '=', round)
      .orderBy('s.position')
      .execute();

  const constructorStandings = (round: number) =>
    database()
      .db.selectFrom('constructor_standings as s')
      .innerJoin('teams as t', 't.id', 's.team_id')
      .select(['t.team_ref as team', 's.position', 's.points', 's.wins'])
      .where('s.season', '=', MINI_SEASON)
      .where('s.round', '=', round)
      .orderBy('s.position')
      .execute();

  test('are empty until refreshed; a refresh writes every round of every season', async () => {
    season = await seedMiniSeason(database().db);
    expect(await driverStandings(2)).toEqual([]);
    expect(await refreshStandings(database().db)).toEqual({
      seasons: [MINI_SEASON],
      driverRows: 8,
      constructorRows: 4,
    });
    expect((await driverStandings(2)).length).toBe(4);
  });

  test('after round 1: race points only', async () => {
    expect(await driverStandings(1)).toEqual([
      { driver: 'driver_a', position: 1, points: 25, wins: 1 },
      { driver: 'driver_b', position: 2, points: 18, wins: 0 },
      { driver: 'driver_c', position: 3, points: 15, wins: 0 },
      { driver: 'driver_d', position: 4, points: 12, wins: 0 },
    ]);
    expect(await constructorStandings(1)).toEqual([
      { team: 'team_one', position: 1, points: 43, wins: 1 },
      { team: 'team_two', position: 2, points: 27, wins: 0 },
    ]);
  });

  test('after round 2: sprint points and half points count; the tie is broken by countback', async () => {
    expect(await driverStandings(2)).toEqual([
      // B and A both have 32.5 points and one win; B's second place beats A's third.
      { driver: 'driver_b', position: 1, points: 32.5, wins: 1 },
      { driver: 'driver_a', position: 2, points: 32.5, wins: 1 },
      { driver: 'driver_c', position: 3, points: 32, wins: 0 },
      { driver: 'driver_d', position: 4, points: 19, wins: 0 },
    ]);
    expect(await constructorStandings(2)).toEqual([
      { team: 'team_one', position: 1, points: 65, wins: 2 },
      { team: 'team_two', position: 2, points: 51, wins: 0 },
    ]);
  });

  test('a changed result (disqualification) shows after the refresh of its season only', async () => {
    const db = database().db;
    // B is disqualified from round 2: no points, not classified, moved to the back.
    await db
      .updateTable('race_results')
      .set({
        points: 0,
        position: null,
        position_text: 'D',
        position_order: 5,
        status: 'Disqualified',
      })
      .where('race_id', '=', season.races.r2)
      .where('driver_id', '=', season.drivers.b)
      .execute();
    const before = await driverStandings(2);
    expect(await refreshStandings(db, [1999])).toEqual({
      seasons: [1999],
      driverRows: 0,
      constructorRows: 0,
    });
    expect(await driverStandings(2)).toEqual(before);
    await refreshSeasonStandings(db, MINI_SEASON);
    const standings = await driverStandings(2);
    expect(standings.map((s) => [s.driver, s.points, s.wins])).toEqual([
      ['driver_a', 32.5, 1],
      ['driver_c', 32, 0],
      ['driver_b', 20, 0],
      ['driver_d', 19, 0],
    ]);
  });
});
