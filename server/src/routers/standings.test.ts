import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { testApp, testClient, testServices } from '@f1/testkit/server';

/** A row's numbers where nothing is dropped, adjusted or tied (the mini season's rows). */
const numbers = (position: number, points: number, wins: number) => ({
  position,
  positionText: `${position}`,
  points,
  pointsScored: points,
  droppedPoints: 0,
  droppedRounds: [],
  adjustmentPoints: 0,
  wins,
  tied: false,
});

describeEachBackend('standings router', (database) => {
  const services = () => testServices({ database: database() });
  const call = () => callerFor(services());

  test('drivers: after the last round by default, ties broken by countback', async () => {
    await seedReadFixtures(database().db);
    const standings = await call().standings.drivers({ season: MINI_SEASON });
    expect([standings.season, standings.round]).toEqual([MINI_SEASON, 2]);
    // Hand-computed (see @f1/testkit/fixtures/mini-season): A and B both 32.5 with one win; B has a 2nd place.
    expect(standings.rows).toEqual([
      {
        ...numbers(1, 32.5, 1),
        driver: { driverId: 'driver_b', code: 'DRB', givenName: 'Driver', familyName: 'B' },
      },
      {
        ...numbers(2, 32.5, 1),
        driver: { driverId: 'driver_a', code: 'DRA', givenName: 'Driver', familyName: 'A' },
      },
      {
        ...numbers(3, 32, 0),
        driver: { driverId: 'driver_c', code: 'DRC', givenName: 'Driver', familyName: 'C' },
      },
      {
        ...numbers(4, 19, 0),
        driver: { driverId: 'driver_d', code: 'DRD', givenName: 'Driver', familyName: 'D' },
      },
    ]);
  });

  test('drivers: after a given round', async () => {
    const after1 = await call().standings.drivers({ season: MINI_SEASON, round: 1 });
    expect(after1.round).toBe(1);
    expect(after1.rows.map((r) => [r.driver.driverId, r.points])).toEqual([
      ['driver_a', 25],
      ['driver_b', 18],
      ['driver_c', 15],
      ['driver_d', 12],
    ]);
  });

  test('constructors: race + sprint points per team', async () => {
    const standings = await call().standings.constructors({ season: MINI_SEASON });
    expect(standings.round).toBe(2);
    expect(standings.rows).toEqual([
      { ...numbers(1, 65, 2), team: { teamId: 'team_one', name: 'Team One' } },
      { ...numbers(2, 51, 0), team: { teamId: 'team_two', name: 'Team Two' } },
    ]);
  });

  test('a season or round without standings is NOT_FOUND naming it', async () => {
    expect(await errorOf(() => call().standings.drivers({ season: 2030 }))).toEqual({
      code: 'NOT_FOUND',
      message: 'standings for season 2030 not found',
    });
    expect(
      await errorOf(() => call().standings.constructors({ season: MINI_SEASON, round: 3 })),
    ).toEqual({
      code: 'NOT_FOUND',
      message: `standings for season ${MINI_SEASON} after round 3 not found`,
    });
  });

  test('constructors before 1958: NOT_FOUND naming the reason (no constructors’ championship)', async () => {
    for (const season of [1950, 1957]) {
      expect(await errorOf(() => call().standings.constructors({ season }))).toEqual({
        code: 'NOT_FOUND',
        message: `constructors' standings for season ${season} not found: there was no constructors' championship before 1958`,
      });
    }
    // 1958 had one: without data it is the ordinary NOT_FOUND.
    expect(await errorOf(() => call().standings.constructors({ season: 1958 }))).toEqual({
      code: 'NOT_FOUND',
      message: 'standings for season 1958 not found',
    });
  });

  test('bad input is a 400 naming the field', async () => {
    const client = testClient(testApp(services()));
    const error = await errorOf(() =>
      client.standings.drivers.query({ season: MINI_SEASON, round: 1.5 }),
    );
    expect([error.code, error.httpStatus]).toEqual(['BAD_REQUEST', 400]);
    expect(error.fieldErrors?.round).toBeDefined();
  });
});
