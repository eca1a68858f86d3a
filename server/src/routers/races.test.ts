import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { FUTURE_SEASON, FUTURE_START, seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { testApp, testClient, testServices } from '@f1/testkit/server';

describeEachBackend('races router', (database) => {
  const services = () => testServices({ database: database() });
  const call = () => callerFor(services());
  const r1 = { season: MINI_SEASON, round: 1 };
  const r2 = { season: MINI_SEASON, round: 2 };

  test('calendar: every race of the season in round order, with sessions in UTC', async () => {
    await seedReadFixtures(database().db);
    const calendar = await call().races.calendar({ season: MINI_SEASON });
    expect(calendar.map((r) => [r.round, r.name, r.date])).toEqual([
      [1, 'First GP', '2021-04-04'],
      [2, 'Second GP', '2021-04-18'],
    ]);
    expect(calendar[0]?.startsAt).toEqual(new Date('2021-04-04T13:00:00Z'));
    expect(calendar[0]?.circuit).toEqual({
      circuitId: 'test_ring',
      name: 'Test Ring',
      locality: null,
      country: 'Nowhere',
    });
    expect(calendar[0]?.sessions).toEqual([]);
    expect(calendar[1]?.sessions).toEqual([
      { kind: 'fp1', date: '2021-04-16', startsAt: new Date('2021-04-16T11:30:00Z') },
      { kind: 'qualifying', date: '2021-04-16', startsAt: new Date('2021-04-16T15:00:00Z') },
      { kind: 'sprint', date: '2021-04-17', startsAt: new Date('2021-04-17T14:30:00Z') },
      { kind: 'sprint_qualifying', date: '2021-04-17', startsAt: null },
    ]);
    expect(await call().races.calendar({ season: 1950 })).toEqual([]);
  });

  test('calendar over HTTP: session times arrive as real Dates (superjson)', async () => {
    const client = testClient(testApp(services()));
    const [, second] = await client.races.calendar.query({ season: MINI_SEASON });
    expect(second?.sessions[0]?.startsAt).toBeInstanceOf(Date);
    expect(second?.sessions[0]?.startsAt?.toISOString()).toBe('2021-04-16T11:30:00.000Z');
  });

  test('get: one race; an unknown one is NOT_FOUND naming season and round', async () => {
    expect((await call().races.get(r2)).sessions.length).toBe(4);
    expect(await errorOf(() => call().races.get({ season: MINI_SEASON, round: 9 }))).toEqual({
      code: 'NOT_FOUND',
      message: `race ${MINI_SEASON} round 9 not found`,
    });
  });

  test('next: the first race that has not started; last: the latest with results', async () => {
    const next = await call().races.next();
    expect([next?.season, next?.round, next?.startsAt]).toEqual([FUTURE_SEASON, 1, FUTURE_START]);
    const last = await call().races.last();
    expect([last?.season, last?.round, last?.name]).toEqual([MINI_SEASON, 2, 'Second GP']);
  });

  test('results: the classification in order, with driver, team, time and status', async () => {
    const results = await call().races.results(r2);
    expect([results.season, results.round, results.raceName, results.date]).toEqual([
      MINI_SEASON,
      2,
      'Second GP',
      '2021-04-18',
    ]);
    expect(
      results.rows.map((r) => [r.positionOrder, r.position, r.driver.driverId, r.points, r.status]),
    ).toEqual([
      [1, 1, 'driver_b', 12.5, 'Finished'],
      [2, 2, 'driver_c', 9, 'Finished'],
      [3, 3, 'driver_a', 7.5, 'Finished'],
      [4, null, 'driver_d', 0, 'Retired'],
    ]);
    expect(results.rows[0]).toMatchObject({
      driver: { driverId: 'driver_b', code: 'DRB', givenName: 'Driver', familyName: 'B' },
      team: { teamId: 'team_one', name: 'Team One' },
      positionText: '1',
      grid: 1,
      laps: 50,
      time: null,
      fastestLap: null,
    });
  });

  test('sprint: the sprint classification; empty for a weekend without one', async () => {
    const sprint = await call().races.sprint(r2);
    expect(sprint.rows.map((r) => [r.driver.driverId, r.position, r.points])).toEqual([
      ['driver_c', 1, 8],
      ['driver_d', 2, 7],
      ['driver_b', 7, 2],
      ['driver_a', 9, 0],
    ]);
    const none = await call().races.sprint(r1);
    expect([none.raceName, none.rows]).toEqual(['First GP', []]);
  });

  test('qualifying: positions with Q1–Q3 times as millis and text', async () => {
    const q = await call().races.qualifying(r1);
    expect(q.rows.map((r) => [r.position, r.driver.driverId, r.q3?.text ?? null])).toEqual([
      [1, 'driver_a', '1:29.708'],
      [2, 'driver_b', '1:29.900'],
      [3, 'driver_c', null],
      [4, 'driver_d', null],
    ]);
    expect(q.rows[2]?.q2).toEqual({ millis: 90_500, text: '1:30.500' });
    expect(q.rows[3]?.q2).toBeNull();
    expect((await call().races.qualifying(r2)).rows).toEqual([]);
  });

  test('weather: observations per source; a race without weather has none', async () => {
    const weather = await call().races.weather(r1);
    expect(weather.observations).toEqual([
      {
        source: 'test',
        observedAt: new Date('2021-04-04T13:00:00Z'),
        airTemperatureC: 24.5,
        precipitationMm: 0.2,
        relativeHumidityPct: 55,
        windSpeedKph: 12.5,
        windDirectionDeg: 270,
      },
    ]);
    expect((await call().races.weather(r2)).observations).toEqual([]);
  });

  test('every by-race procedure is NOT_FOUND for an unknown race', async () => {
    const missing = { season: 2020, round: 3 };
    const message = 'race 2020 round 3 not found';
    for (const run of [
      () => call().races.results(missing),
      () => call().races.sprint(missing),
      () => call().races.qualifying(missing),
      () => call().races.weather(missing),
    ]) {
      expect(await errorOf(run)).toEqual({ code: 'NOT_FOUND', message });
    }
  });

  test('bad input: an out-of-range round or season is a 400 naming the field', async () => {
    const client = testClient(testApp(services()));
    const round = await errorOf(() => client.races.results.query({ season: 2021, round: 0 }));
    expect([round.code, round.httpStatus]).toEqual(['BAD_REQUEST', 400]);
    expect(round.fieldErrors?.round?.[0]).toMatch(/>=1/);
    const season = await errorOf(() => client.races.calendar.query({ season: 1900 }));
    expect(season.fieldErrors?.season?.[0]).toMatch(/>=1950/);
    // Not a number even once the OpenAPI bridge has made inputs coerce strings (it does so in place).
    const type = await errorOf(() =>
      client.races.get.query({ season: 'abc' as unknown as number, round: 1 }),
    );
    expect(type.fieldErrors?.season).toBeDefined();
  });
});
