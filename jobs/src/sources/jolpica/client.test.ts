import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { setupServer } from 'msw/node';
import { SourceError } from '../http/errors.ts';
import { SourceHttp } from '../http/http.ts';
import { JolpicaClient } from './client.ts';
import { FAKE_BASE_URL, fakeJolpica } from './testing.ts';

// Pages of 3 rows: the mini season's 11 race results are split across 4 pages, races cut in two.
const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR], maxLimit: 3 });
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.requests.length = 0;
  fake.faults.length = 0;
});
afterAll(() => server.close());

const client = () =>
  new JolpicaClient(
    new SourceHttp({
      timeoutMs: 2_000,
      retryAttempts: 2,
      requestsPerSecond: 1_000,
      hourlyBudget: 1_000,
      backoffBaseMs: 1,
    }),
    FAKE_BASE_URL,
  );

test('pages by MRData.limit and merges races split across pages, whole and once', async () => {
  const { races, failures, pages } = await client().results(2021);
  expect(failures).toEqual([]);
  expect(pages).toBe(3); // 8 rows of 2021 at 3 per page
  expect(fake.requests.map((u) => new URL(u).search)).toEqual([
    '?limit=100&offset=0',
    '?limit=100&offset=3',
    '?limit=100&offset=6',
  ]);
  expect(
    races.map((r) => [r.round, r.Results.map((x) => `${x.position}:${x.Driver.driverId}`)]),
  ).toEqual([
    [1, ['1:driver_a', '2:driver_b', '3:driver_c', '4:driver_d']],
    [2, ['1:driver_b', '2:driver_c', '3:driver_a', '4:driver_d']],
  ]);
  const winner = races[0]?.Results[0];
  expect(winner?.points).toBe(26);
  expect(winner?.FastestLap).toEqual({
    rank: 1,
    lap: 39,
    Time: { time: 92_608 },
    AverageSpeed: { units: 'kph', speed: 210.383 },
  });
  expect(races[1]?.Results[0]?.points).toBe(12.5);
});

test('schedule, sprint, qualifying, standings and empty rounds', async () => {
  const source = client();
  const schedule = await source.schedule(2021);
  expect(schedule.races.map((r) => [r.round, r.time ?? null, r.Sprint?.date ?? null])).toEqual([
    [1, '13:00:00', null],
    [2, '13:00:00', '2021-04-17'],
    [3, null, null],
  ]);
  expect((await source.sprint(2021, 2)).races[0]?.SprintResults.length).toBe(4);
  const q = (await source.qualifying(2021)).races[0]?.QualifyingResults;
  expect(q?.map((x) => [x.Driver.driverId, x.Q1 ?? null, x.Q3 ?? null])).toEqual([
    ['driver_a', 87_452, 85_990],
    ['driver_b', 87_500, 86_001],
    ['driver_c', 88_000, null],
    ['driver_d', null, null],
  ]);
  const drivers = await source.driverStandings(2021);
  expect(drivers.round).toBe(2);
  expect(drivers.rows.map((r) => [r.Driver.driverId, r.points])).toEqual([
    ['driver_a', 34.5],
    ['driver_b', 30.5],
    ['driver_c', 27],
    ['driver_d', 8],
  ]);
  expect((await source.constructorStandings(2021, 1)).rows.map((r) => r.points)).toEqual([44, 15]);
  expect(await source.results(2021, 99)).toEqual({ races: [], failures: [], pages: 1 });
  expect(await source.driverStandings(1999)).toEqual({ round: null, rows: [] });
});

test('a race violating the schema is a failure naming field and URL; other races still come', async () => {
  fake.fail(/2021\/results\.json\?limit=100&offset=3/, {
    mutate: (body) => {
      const mr = body.MRData as { RaceTable: { Races: { Results: { points: string }[] }[] } };
      const last = mr.RaceTable.Races.at(-1);
      if (last?.Results[0]) last.Results[0].points = 'lots';
    },
  });
  const { races, failures } = await client().results(2021);
  expect(races.map((r) => r.round)).toEqual([1]);
  expect(failures).toEqual([
    {
      season: 2021,
      round: 2,
      message: 'Results[0].points: expected a number, got "lots"',
      urls: [
        `${FAKE_BASE_URL}/2021/results.json?limit=100&offset=3`,
        `${FAKE_BASE_URL}/2021/results.json?limit=100&offset=6`,
      ],
    },
  ]);
});

test('a broken envelope or pages that lose rows are errors naming the URL', async () => {
  fake.fail(/2021\/qualifying/, {
    mutate: (body) => {
      (body.MRData as Record<string, unknown>).total = 'many';
    },
  });
  await expect(client().qualifying(2021)).rejects.toThrow(
    `GET ${FAKE_BASE_URL}/2021/qualifying.json?limit=100&offset=0 failed: MRData.total: expected an integer, got "many"`,
  );
  fake.fail(
    /2021\/sprint/,
    {
      mutate: (body) => {
        (body.MRData as Record<string, unknown>).total = '40';
      },
    },
    5,
  );
  const error = await client()
    .sprint(2021)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).code).toBe('paging');
  expect((error as Error).message).toContain('pages held 4 rows, MRData.total says 40');
});

test("a season's page: one request; unknown season or no url is null; a bad entry names its field", async () => {
  const source = client();
  expect(await source.season(2021)).toEqual({
    year: 2021,
    url: 'http://example.org/2021_season',
  });
  expect(fake.requests).toEqual([`${FAKE_BASE_URL}/2021/seasons.json?limit=100&offset=0`]);
  expect(await source.season(1990)).toBeNull();
  fake.fail(/2021\/seasons/, {
    mutate: (body) => {
      (body.MRData as { SeasonTable: { Seasons: unknown[] } }).SeasonTable.Seasons = [
        { season: '2021' },
      ];
    },
  });
  expect(await source.season(2021)).toBeNull();
  fake.fail(/2021\/seasons/, {
    mutate: (body) => {
      (body.MRData as { SeasonTable: { Seasons: unknown[] } }).SeasonTable.Seasons = [
        { season: 'twenty', url: 'x' },
      ];
    },
  });
  const error = await source.season(2021).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).toBe(
    `GET ${FAKE_BASE_URL}/2021/seasons.json?limit=100&offset=0 failed: Seasons[0].season: expected an integer, got "twenty"`,
  );
});
