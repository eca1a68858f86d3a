/**
 * `races.laps` and `races.pitStops` on both back ends, over the server-side caller, tRPC over HTTP and
 * REST: order, paging, filters, times as millis and text, NOT_FOUND, 400s naming the field, and cached
 * answers dropped by a data change of the race.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { errorOf } from '@f1/testkit/errors';
import { MINI_SEASON, type MiniSeason } from '@f1/testkit/fixtures/mini-season';
import { ROUND_1_LAP_COUNT, seedRaceLaps } from '@f1/testkit/fixtures/race-laps';
import { seedReadFixtures } from '@f1/testkit/fixtures/read-api';
import { jsonBody } from '@f1/testkit/http';
import { testApp, testClient, testServices } from '@f1/testkit/server';
import { sql } from 'kysely';
import { LAPS_PAGE } from '../schemas/races.ts';
import type { Services } from '../services.ts';

const r1 = { season: MINI_SEASON, round: 1 };
const r2 = { season: MINI_SEASON, round: 2 };

/** Every timing of round 1 in the answer's order: lap, position (unknown last), driver. */
const ALL_LAPS: [number, number | null, string, string][] = [
  [1, 1, 'driver_a', '1:39.019'],
  [1, 2, 'driver_b', '1:39.500'],
  [1, 3, 'driver_c', '1:40.100'],
  [1, 4, 'driver_d', '1:41.000'],
  [2, 1, 'driver_b', '1:35.000'],
  [2, 2, 'driver_a', '1:35.200'],
  [2, 3, 'driver_c', '1:36.000'],
  [2, 4, 'driver_d', '1:37.000'],
  [3, 1, 'driver_a', '1:34.500'],
  [3, 2, 'driver_b', '1:34.900'],
  [3, 3, 'driver_c', '1:35.800'],
  [3, null, 'driver_d', '2:30.000'],
];

type Timing = {
  lap: number;
  position: number | null;
  driverId: string;
  time: { text: string } | null;
};
const rowsOf = (items: Timing[]) =>
  items.map((t) => [t.lap, t.position, t.driverId, t.time?.text] as const);

describeEachBackend('races.laps and races.pitStops', (database) => {
  let services: Services;
  let mini: MiniSeason;
  let app: ReturnType<typeof testApp>;
  const call = () => callerFor(services);
  const rest = (path: string) => app.handle(new Request(`http://test.local/api/v1${path}`));

  beforeAll(async () => {
    mini = await seedReadFixtures(database().db);
    await seedRaceLaps(database().db, mini);
    services = testServices({ database: database() });
    await services.cache.start();
    app = testApp(services);
  });
  afterAll(() => services.cache.close());

  test('laps: every timing by lap then position, unknown positions last, times as millis and text', async () => {
    const laps = await call().races.laps(r1);
    expect([laps.season, laps.round, laps.raceName, laps.date]).toEqual([
      MINI_SEASON,
      1,
      'First GP',
      '2021-04-04',
    ]);
    expect([laps.total, laps.nextCursor]).toEqual([ROUND_1_LAP_COUNT, null]);
    expect(rowsOf(laps.items)).toEqual(ALL_LAPS);
    expect(laps.items[0]).toEqual({
      lap: 1,
      position: 1,
      driverId: 'driver_a',
      time: { millis: 99_019, text: '1:39.019' },
    });
  });

  test('laps: pages by cursor; every page carries the total; the pages make up the whole', async () => {
    const seen: Timing[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await call().races.laps({ ...r1, limit: 5, cursor });
      expect(page.total).toBe(ROUND_1_LAP_COUNT);
      sizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([5, 5, 2]);
    expect(rowsOf(seen)).toEqual(ALL_LAPS);
    // A page ending on the unknown-position row's neighbour resumes at it (the key sorts it last).
    const eleven = await call().races.laps({ ...r1, limit: 11 });
    const last = await call().races.laps({ ...r1, limit: 11, cursor: eleven.nextCursor ?? '' });
    expect(rowsOf(last.items)).toEqual([[3, null, 'driver_d', '2:30.000']]);
    expect(last.nextCursor).toBeNull();
  });

  test('laps: filters by driver, by lap, or both; the total counts what matches', async () => {
    const d = await call().races.laps({ ...r1, driverId: 'driver_d' });
    expect([d.total, rowsOf(d.items).map(([lap, position]) => [lap, position])]).toEqual([
      3,
      [
        [1, 4],
        [2, 4],
        [3, null],
      ],
    ]);
    const lap2 = await call().races.laps({ ...r1, lap: 2 });
    expect([lap2.total, lap2.items.map((t) => t.driverId)]).toEqual([
      4,
      ['driver_b', 'driver_a', 'driver_c', 'driver_d'],
    ]);
    const one = await call().races.laps({ ...r1, driverId: 'driver_b', lap: 3 });
    expect([one.total, rowsOf(one.items)]).toEqual([1, [[3, 2, 'driver_b', '1:34.900']]]);
    const paged = await call().races.laps({ ...r1, driverId: 'driver_a', limit: 2 });
    const rest2 = await call().races.laps({
      ...r1,
      driverId: 'driver_a',
      limit: 2,
      cursor: paged.nextCursor ?? '',
    });
    expect([...paged.items, ...rest2.items].map((t) => t.lap)).toEqual([1, 2, 3]);
    expect([paged.total, rest2.total, rest2.nextCursor]).toEqual([3, 3, null]);
  });

  test('laps: a known race without timings, or a driver without any, is an empty page', async () => {
    const none = await call().races.laps(r2);
    expect([none.raceName, none.total, none.items, none.nextCursor]).toEqual([
      'Second GP',
      0,
      [],
      null,
    ]);
    const nobody = await call().races.laps({ ...r1, driverId: 'nobody' });
    expect([nobody.total, nobody.items]).toEqual([0, []]);
    const lap99 = await call().races.laps({ ...r1, lap: 99 });
    expect([lap99.total, lap99.items]).toEqual([0, []]);
  });

  test('pitStops: in the order they happened (time of day, not text), durations as millis and text', async () => {
    const stops = await call().races.pitStops(r1);
    expect([stops.season, stops.round, stops.raceName]).toEqual([MINI_SEASON, 1, 'First GP']);
    expect(
      stops.rows.map((s) => [s.driver.driverId, s.stop, s.lap, s.timeOfDay, s.duration?.text]),
    ).toEqual([
      ['driver_a', 1, 1, '9:59:58', '25.636'],
      ['driver_c', 1, 2, '10:01:07', '1:02.892'],
      ['driver_b', 1, 2, '10:01:09', undefined],
      ['driver_a', 2, 3, '10:02:30', '22.050'],
    ]);
    expect(stops.rows[0]).toEqual({
      driver: { driverId: 'driver_a', code: 'DRA', givenName: 'Driver', familyName: 'A' },
      stop: 1,
      lap: 1,
      timeOfDay: '9:59:58',
      duration: { millis: 25_636, text: '25.636' },
    });
    expect(stops.rows[2]?.duration).toBeNull();
    const none = await call().races.pitStops(r2);
    expect([none.raceName, none.rows]).toEqual(['Second GP', []]);
  });

  test('an unknown race is NOT_FOUND naming season and round', async () => {
    const message = `race ${MINI_SEASON} round 9 not found`;
    const missing = { season: MINI_SEASON, round: 9 };
    expect(await errorOf(() => call().races.laps(missing))).toEqual({
      code: 'NOT_FOUND',
      message,
    });
    expect(await errorOf(() => call().races.pitStops(missing))).toEqual({
      code: 'NOT_FOUND',
      message,
    });
    const res = await rest(`/seasons/${MINI_SEASON}/races/9/laps`);
    expect(res.status).toBe(404);
    expect(await jsonBody(res)).toEqual({ code: 'NOT_FOUND', message });
    expect((await rest(`/seasons/${MINI_SEASON}/races/9/pit-stops`)).status).toBe(404);
  });

  test('bad input over tRPC is a 400 naming the field', async () => {
    const client = testClient(app);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ limit: 0 }, 'limit', />=1/],
      [{ limit: LAPS_PAGE.max + 1 }, 'limit', /<=2000/],
      [{ lap: 0 }, 'lap', />=1/],
      [{ lap: 1.5 }, 'lap', /int/],
      [{ driverId: 'not an id!' }, 'driverId', /public id/],
      [{ cursor: 'garbage' }, 'cursor', /races\.laps/],
      [{ extra: 1 }, '', /extra/],
    ];
    for (const [bad, field, message] of cases) {
      const error = await errorOf(() => client.races.laps.query({ ...r1, ...bad } as typeof r1));
      expect([error.code, error.httpStatus]).toEqual(['BAD_REQUEST', 400]);
      if (field) expect(error.fieldErrors?.[field]?.[0]).toMatch(message);
      else expect(error.message).toMatch(message);
    }
    // A cursor of another list (drivers.list) is refused rather than misread.
    const drivers = await call().drivers.list({ limit: 1 });
    const foreign = await errorOf(() =>
      client.races.laps.query({ ...r1, cursor: drivers.nextCursor ?? '' }),
    );
    expect(foreign.fieldErrors?.cursor?.[0]).toMatch(/not a cursor of races\.laps/);
    const round = await errorOf(() =>
      client.races.pitStops.query({ season: MINI_SEASON, round: 0 }),
    );
    expect([round.httpStatus, round.fieldErrors?.round?.[0]]).toEqual([400, expect.any(String)]);
  });

  test('REST: the same answers as plain JSON, query parameters coerced', async () => {
    const res = await rest(`/seasons/${MINI_SEASON}/races/1/laps?driverId=driver_a&limit=2`);
    expect(res.status).toBe(200);
    const page = await jsonBody<{ total: number; items: Timing[]; nextCursor: string }>(res);
    expect([page.total, rowsOf(page.items)]).toEqual([
      3,
      [
        [1, 1, 'driver_a', '1:39.019'],
        [2, 2, 'driver_a', '1:35.200'],
      ],
    ]);
    const next = await jsonBody<{ items: Timing[]; nextCursor: null }>(
      await rest(
        `/seasons/${MINI_SEASON}/races/1/laps?driverId=driver_a&limit=2&cursor=${page.nextCursor}`,
      ),
    );
    expect([rowsOf(next.items), next.nextCursor]).toEqual([[[3, 1, 'driver_a', '1:34.500']], null]);
    const lap3 = await jsonBody<{ items: Timing[] }>(
      await rest(`/seasons/${MINI_SEASON}/races/1/laps?lap=3`),
    );
    expect(lap3.items.map((t) => t.position)).toEqual([1, 2, 3, null]);
    const stops = await jsonBody<{ rows: { timeOfDay: string; duration: unknown }[] }>(
      await rest(`/seasons/${MINI_SEASON}/races/1/pit-stops`),
    );
    expect(stops.rows.map((s) => [s.timeOfDay, s.duration])).toEqual([
      ['9:59:58', { millis: 25_636, text: '25.636' }],
      ['10:01:07', { millis: 62_892, text: '1:02.892' }],
      ['10:01:09', null],
      ['10:02:30', { millis: 22_050, text: '22.050' }],
    ]);
  });

  test('REST: bad input is a 400 naming the field', async () => {
    for (const [query, field] of [
      ['lap=0', 'lap'],
      ['lap=abc', 'lap'],
      ['limit=5000', 'limit'],
      ['cursor=nope', 'cursor'],
      ['driverId=%20', 'driverId'],
    ] as const) {
      const res = await rest(`/seasons/${MINI_SEASON}/races/1/laps?${query}`);
      expect(`${query} ${res.status}`).toBe(`${query} 400`);
      const body = await jsonBody<{ code: string; issues: { path: unknown[] }[] }>(res);
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.issues.map((i) => i.path)).toEqual([[field]]);
    }
    const round = await rest(`/seasons/${MINI_SEASON}/races/0/pit-stops`);
    expect(round.status).toBe(400);
  });

  test("a change to the race's data drops the cached laps and pit stops (tRPC and REST)", async () => {
    const { query, responses } = services.cache;
    const path = `/seasons/${MINI_SEASON}/races/1/laps?lap=1&limit=1`;
    const timeOfA = async () =>
      (await jsonBody<{ items: Timing[] }>(await rest(path))).items[0]?.time?.text;
    const lapOfA = async () => (await call().races.laps({ ...r1, lap: 1, limit: 1 })).items[0];
    const firstStop = async () => (await call().races.pitStops(r1)).rows[0]?.duration?.text;

    expect(await timeOfA()).toBe('1:39.019');
    expect((await lapOfA())?.time?.text).toBe('1:39.019');
    expect(await firstStop()).toBe('25.636');
    const [queryHits, responseHits] = [query.stats.hits, responses.stats.localHits];

    // Changed underneath without telling anyone: the cached answers come back.
    await sql`UPDATE lap_times SET time_millis = 98000 WHERE race_id = ${mini.races.r1} AND lap = 1 AND driver_id = ${mini.drivers.a}`.execute(
      database().db,
    );
    await sql`UPDATE pit_stops SET duration_millis = 24000 WHERE race_id = ${mini.races.r1} AND driver_id = ${mini.drivers.a} AND stop = 1`.execute(
      database().db,
    );
    expect(await timeOfA()).toBe('1:39.019');
    expect((await lapOfA())?.time?.text).toBe('1:39.019');
    expect(await firstStop()).toBe('25.636');
    expect(query.stats.hits).toBeGreaterThanOrEqual(queryHits + 2);
    expect(responses.stats.localHits).toBe(responseHits + 1);

    // The writer reports the round's change: every cached answer of the race is dropped.
    await services.changes.changed([
      { kind: 'results', races: [{ raceId: mini.races.r1, ...r1 }] },
    ]);
    expect(await timeOfA()).toBe('1:38.000');
    expect((await lapOfA())?.time).toEqual({ millis: 98_000, text: '1:38.000' });
    expect(await firstStop()).toBe('24.000');
  });
});
