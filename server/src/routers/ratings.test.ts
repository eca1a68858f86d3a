import { beforeAll, expect, test } from 'bun:test';
import { replaceRatings } from '@f1/db/ratings/ratings';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { settle } from '@f1/testkit/errors';
import { MINI_SEASON, type MiniSeason, seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { testServices } from '@f1/testkit/server';

async function errorCode(run: () => Promise<unknown>): Promise<string> {
  return (await settle(run))?.code ?? 'OK';
}

describeEachBackend('ratings router', (database) => {
  let mini: MiniSeason;
  const caller = () => callerFor(testServices({ database: database() }));
  beforeAll(async () => {
    mini = await seedMiniSeason(database().db);
  });

  test('NOT_FOUND before anything is rated', async () => {
    expect(await errorCode(() => caller().ratings.drivers())).toBe('NOT_FOUND');
    expect(await errorCode(() => caller().ratings.teams({ season: 2021 }))).toBe('NOT_FOUND');
  });

  test('drivers, teams and history read the stored ratings', async () => {
    const { a, b } = mini.drivers;
    await replaceRatings(database().db, {
      drivers: [
        { id: a, raceId: mini.races.r1, before: 1500, after: 1490 },
        { id: b, raceId: mini.races.r1, before: 1500, after: 1510 },
      ],
      teams: [{ id: mini.teams.t2, raceId: mini.races.r2, before: 1500, after: 1520 }],
    });
    const drivers = await caller().ratings.drivers({ season: MINI_SEASON });
    expect(drivers.ratings.map((r) => [r.id, r.rating])).toEqual([
      ['driver_b', 1510],
      ['driver_a', 1490],
    ]);
    expect((await caller().ratings.teams()).ratings[0]).toMatchObject({
      id: 'team_two',
      change: 20,
    });
    const history = await caller().ratings.history({ driverId: 'driver_a' });
    expect(history.history.map((h) => [h.round, h.ratingAfter, h.position])).toEqual([
      [1, 1490, 1],
    ]);
    expect((await caller().ratings.history({ teamId: 'team_two' })).history).toHaveLength(1);
  });

  test('history needs exactly one id and a known one', async () => {
    expect(await errorCode(() => caller().ratings.history({}))).toBe('BAD_REQUEST');
    expect(await errorCode(() => caller().ratings.history({ driverId: 'x', teamId: 'y' }))).toBe(
      'BAD_REQUEST',
    );
    expect(await errorCode(() => caller().ratings.history({ driverId: 'nobody' }))).toBe(
      'NOT_FOUND',
    );
  });
});
