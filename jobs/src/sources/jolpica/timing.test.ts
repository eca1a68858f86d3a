import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_EXPORT_DIR, sharedDataDir } from '@f1/testkit/shared-data';
import { sql } from 'kysely';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { importCsv } from '../csv-export/import.ts';
import { SourceHttp } from '../http/http.ts';
import { JolpicaClient } from './client.ts';
import { ingestSeason } from './ingest.ts';
import { FAKE_BASE_URL, fakeJolpica } from './testing.ts';
import { lapRecords, pitStopRecords } from './to-records.ts';

const RECORDED_BASE = 'https://recorded.test/ergast/f1';
const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
const recordedRequests: string[] = [];

type Race = Record<string, unknown> & { Laps?: LapJson[]; PitStops?: unknown[] };
type LapJson = { number: string; Timings: unknown[] };

const recordedRace = (file: string): Race => {
  const body = JSON.parse(
    readFileSync(path.join(sharedDataDir(), 'ergast-json', 'jolpica-fixtures', file), 'utf8'),
  ) as { MRData: { RaceTable: { Races: Race[] } } };
  const race = body.MRData.RaceTable.Races[0];
  if (!race) throw new Error(`${file} holds no race`);
  return race;
};

/**
 * A round served from a recorded response with the source's paging: `limit` clamped to `clamp`,
 * limit/offset counting timings (or stops), so a lap splits across pages.
 */
function serveRecorded(endpoint: string, race: Race, clamp: number) {
  return http.get(`${RECORDED_BASE}/2023/${race.round}/${endpoint}.json`, ({ request }) => {
    recordedRequests.push(request.url);
    const url = new URL(request.url);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 30), clamp);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const { Laps, PitStops, ...header } = race;
    const flat = Laps
      ? Laps.flatMap((lap) => lap.Timings.map((t) => ({ number: lap.number, t })))
      : (PitStops ?? []).map((t) => ({ number: '', t }));
    const page = flat.slice(offset, offset + limit);
    const body: Race = { ...header };
    if (Laps) {
      const laps: LapJson[] = [];
      for (const { number, t } of page) {
        const last = laps.at(-1);
        if (last?.number === number) last.Timings.push(t);
        else laps.push({ number, Timings: [t] });
      }
      body.Laps = laps;
    } else body.PitStops = page.map((p) => p.t);
    return HttpResponse.json({
      MRData: {
        limit: String(limit),
        offset: String(offset),
        total: String(flat.length),
        RaceTable: { season: '2023', round: race.round, Races: page.length ? [body] : [] },
      },
    });
  });
}

const laps2023r1 = recordedRace('laps/2023@1@laps.json');
const stops2023r18 = recordedRace('pitstops/2023@18@pitstops.json');
const server = setupServer(
  ...fake.handlers,
  serveRecorded('laps', laps2023r1, 7),
  serveRecorded('pitstops', stops2023r18, 100),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.requests.length = 0;
  recordedRequests.length = 0;
});
afterAll(() => server.close());

const client = (base: string) =>
  new JolpicaClient(
    new SourceHttp({
      timeoutMs: 2_000,
      retryAttempts: 1,
      requestsPerSecond: 1_000,
      hourlyBudget: 1_000,
      backoffBaseMs: 1,
    }),
    base,
  );

test('recorded laps split across pages are merged by lap number', async () => {
  const { races, failures, pages } = await client(RECORDED_BASE).laps(2023, 1);
  expect(failures).toEqual([]);
  expect(pages).toBe(5); // 30 timings at 7 per page
  const [race] = races;
  if (!race) throw new Error('no race');
  expect(race.Laps.map((l) => [l.number, l.Timings.length])).toEqual([
    [1, 20],
    [2, 10],
  ]);
  const rows = lapRecords(race);
  expect(rows[0]).toEqual({
    season: 2023,
    round: 1,
    driverRef: 'max_verstappen',
    lap: 1,
    position: 1,
    time_millis: 99_019,
  });
  expect(new Set(rows.map((r) => `${r.lap}:${r.driverRef}`)).size).toBe(30);
});

test('recorded pit stops: durations in seconds or minutes become milliseconds', async () => {
  const { races } = await client(RECORDED_BASE).pitStops(2023, 18);
  const [race] = races;
  if (!race) throw new Error('no race');
  const rows = pitStopRecords(race);
  expect(rows).toHaveLength(30);
  expect(rows[0]).toEqual({
    season: 2023,
    round: 18,
    driverRef: 'zhou',
    stop: 1,
    lap: 9,
    time_of_day: '14:19:22',
    duration_millis: 25_636,
  });
  expect(recordedRequests).toHaveLength(1);
});

describeEachBackend('laps and pit stops from the API', (database) => {
  test('a season ingest with laps reads each run round once per 100 timings and writes them', async () => {
    const db = database().db;
    await importCsv(db, { dirs: [MINI_EXPORT_DIR] });
    await sql`DELETE FROM lap_times`.execute(db);
    await sql`DELETE FROM pit_stops`.execute(db);
    const report = await ingestSeason({ db, client: client(FAKE_BASE_URL) }, 2021, {
      datasets: ['results', 'laps', 'pitstops'],
    });
    expect(report.failures).toEqual([]);
    expect(report.tables.lap_times.created).toBe(165);
    expect(report.tables.pit_stops.created).toBe(6);
    expect(report.timingRaces).toEqual([
      { season: 2021, round: 1 },
      { season: 2021, round: 2 },
    ]);
    const paths = fake.requests.map((u) => new URL(u).pathname.replace('/ergast/f1/', ''));
    // schedule, season page, results, then per run round: laps (161 timings → 2 pages; 4 → 1), pit stops.
    expect(paths).toEqual([
      '2021.json',
      '2021/seasons.json',
      '2021/results.json',
      '2021/1/laps.json',
      '2021/1/laps.json',
      '2021/1/pitstops.json',
      '2021/2/laps.json',
      '2021/2/pitstops.json',
    ]);
    const long = await db
      .selectFrom('pit_stops')
      .select('duration_millis')
      .where('time_of_day', '=', '13:05:12')
      .executeTakeFirstOrThrow();
    expect(long.duration_millis).toBe(1_004_718);
  });

  test('a season-wide laps request is refused by the fake, as by the source', async () => {
    const response = await fetch(`${FAKE_BASE_URL}/2021/laps.json`);
    expect(response.status).toBe(400);
  });
});
