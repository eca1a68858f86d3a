import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CacheTag } from '@f1/core/changes/invalidation';
import { createLogger, type Logger, silentLogger } from '@f1/core/logger';
import { FencedOffError } from '@f1/db/ingestion/fences';
import { createProcessChanges, type ProcessChanges } from '@f1/domain/changes/data-changes';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { sql } from 'kysely';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { runCli } from '../cli/run-cli.ts';
import { importCsv } from '../sources/csv-export/import.ts';
import { SourceHttp } from '../sources/http/http.ts';
import { createWeatherProvider, ingestWeather, WEATHER_SKIPPED_LINE } from './weather-ingestion.ts';

const OPEN_METEO = 'https://archive-api.open-meteo.test/v1';
const OPEN_WEATHER = 'https://api.openweathermap.test/data/3.0';
const requests: URL[] = [];
let failNext = false;

/** Hourly values that encode the hour, so the test can tell which hour was stored. */
const server = setupServer(
  http.get(`${OPEN_METEO}/archive`, ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    if (failNext) {
      failNext = false;
      return HttpResponse.json({ reason: 'down' }, { status: 500 });
    }
    const day = url.searchParams.get('start_date');
    const hours = Array.from({ length: 24 }, (_, h) => h);
    return HttpResponse.json({
      latitude: Number(url.searchParams.get('latitude')),
      hourly: {
        time: hours.map((h) => `${day}T${String(h).padStart(2, '0')}:00`),
        temperature_2m: hours.map((h) => 10 + h / 2),
        precipitation: hours.map((h) => (h === 13 ? 1.2 : 0)),
        relative_humidity_2m: hours.map((h) => 40 + h),
        wind_speed_10m: hours.map((h) => h * 1.5),
        wind_direction_10m: hours.map((h) => h * 15),
      },
    });
  }),
  http.get(`${OPEN_WEATHER}/onecall/timemachine`, ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    if (url.searchParams.get('appid') !== 'k3y')
      return HttpResponse.json({ message: 'Invalid API key' }, { status: 401 });
    return HttpResponse.json({
      data: [
        {
          dt: Number(url.searchParams.get('dt')),
          temp: 18.4,
          humidity: 77,
          wind_speed: 5,
          wind_deg: 200,
          rain: { '1h': 0.6 },
        },
      ],
    });
  }),
);

let database: TestDatabase;
const lines: string[] = [];
const logger: Logger = {
  ...createLogger({ level: 'silent', json: false }),
  info: (m) => lines.push(m),
};
const http_ = () =>
  new SourceHttp({
    timeoutMs: 2_000,
    retryAttempts: 0,
    requestsPerSecond: 1_000,
    hourlyBudget: 100,
  });
const stored = () =>
  database.db
    .selectFrom('weather_data as w')
    .innerJoin('races as r', 'r.id', 'w.race_id')
    .select([
      'r.season',
      'r.round',
      'w.source',
      'w.observed_at',
      'w.air_temperature_c',
      'w.precipitation_mm',
      'w.relative_humidity_pct',
      'w.wind_speed_kph',
      'w.wind_direction_deg',
    ])
    .orderBy('r.season')
    .orderBy('r.round')
    .orderBy('w.source')
    .execute();

/** The pipeline the ingestion reports to, and the tags this process's caches heard from it. */
let processChanges: ProcessChanges;
const heard: CacheTag[][] = [];

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  database = await freshDatabase('pglite');
  await importCsv(database.db, { dirs: [MINI_EXPORT_DIR] });
  processChanges = createProcessChanges({ db: database.db, logger: silentLogger, redis: null });
  processChanges.invalidation.onInvalidate((tags) => heard.push(tags));
}, 60_000);
afterAll(async () => {
  server.close();
  await database.close();
});

test('without a configured provider: skipped with one log line, nothing written', async () => {
  const provider = createWeatherProvider(testConfig().weather);
  expect(provider).toBeNull();
  const report = await ingestWeather(
    { db: database.db, provider, logger, changes: processChanges.changes },
    { season: 2021 },
  );
  expect(report.skipped).toBe(true);
  expect(lines).toEqual([WEATHER_SKIPPED_LINE]);
  expect(await stored()).toEqual([]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'f1-weather-cli-'));
  const err: string[] = [];
  const out: string[] = [];
  const io = {
    stdout: { isTTY: false, write: (t: string) => void out.push(t) },
    stderr: { isTTY: false, write: (t: string) => void err.push(t) },
  };
  expect(
    await runCli(['weather', '2021'], io, { config: testConfig({ F1_DATA_DIR: dataDir }) }),
  ).toBe(0);
  expect(err.join('')).toContain(WEATHER_SKIPPED_LINE);
  // Configured: the CLI stores what the provider reports (all three 2021 races have been run by now).
  const configured = testConfig({ F1_DATA_DIR: dataDir, F1_WEATHER_BASE_URL: OPEN_METEO });
  expect(await runCli(['import-csv', MINI_EXPORT_DIR], io, { config: configured })).toBe(0);
  out.length = 0;
  expect(await runCli(['weather', '2021', '--round', '2'], io, { config: configured })).toBe(0);
  expect(out.join('')).toMatch(/weather_data\s+1\s+0\s+0\s+0\n/);
}, 60_000);

test('Open-Meteo (keyless default): the hour of the start, races not run yet and circuits without coordinates skipped', async () => {
  const provider = createWeatherProvider({ baseUrl: OPEN_METEO, apiKey: null }, http_());
  expect(provider?.source).toBe('open-meteo');
  requests.length = 0;
  const report = await ingestWeather(
    {
      db: database.db,
      provider,
      logger,
      changes: processChanges.changes,
      now: new Date('2021-04-25T00:00:00Z'),
    },
    { season: 2021 },
  );
  expect(report.counts).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 0 });
  // The races whose weather changed are reported: their cached answers are dropped.
  expect(report.changed).toEqual([
    { season: 2021, round: 1 },
    { season: 2021, round: 2 },
  ]);
  expect(heard.at(-1)).toEqual(['race:2021:1', 'race:2021:2']);
  expect(
    requests.map((u) => [
      u.searchParams.get('start_date'),
      u.searchParams.get('latitude'),
      u.searchParams.get('timezone'),
    ]),
  ).toEqual([
    ['2021-04-04', '50.3300', 'UTC'],
    ['2021-04-18', '50.3300', 'UTC'],
  ]);
  expect(await stored()).toEqual([
    {
      season: 2021,
      round: 1,
      source: 'open-meteo',
      observed_at: new Date('2021-04-04T13:00:00Z'),
      air_temperature_c: 16.5,
      precipitation_mm: 1.2,
      relative_humidity_pct: 53,
      wind_speed_kph: 19.5,
      wind_direction_deg: 195,
    },
    {
      season: 2021,
      round: 2,
      source: 'open-meteo',
      observed_at: new Date('2021-04-18T13:00:00Z'),
      air_temperature_c: 16.5,
      precipitation_mm: 1.2,
      relative_humidity_pct: 53,
      wind_speed_kph: 19.5,
      wind_direction_deg: 195,
    },
  ]);
  // Round 3 has no start time: noon of race day; 1955's circuit has no coordinates.
  const later = await ingestWeather(
    {
      db: database.db,
      provider,
      logger,
      changes: processChanges.changes,
      now: new Date('2021-06-01T00:00:00Z'),
    },
    { season: 2021 },
  );
  expect(later.counts).toEqual({ created: 1, updated: 0, deleted: 0, unchanged: 2 });
  expect(heard.at(-1)).toEqual(['race:2021:3']);
  expect((await stored()).at(-1)?.observed_at).toEqual(new Date('2021-05-02T12:00:00Z'));
  expect(
    (
      await ingestWeather(
        { db: database.db, provider, logger, changes: processChanges.changes },
        { season: 1955 },
      )
    ).counts.created,
  ).toBe(0);
});

test('a provider error fails that race, naming the URL; other races are still written', async () => {
  await database.db.deleteFrom('weather_data').execute();
  const provider = createWeatherProvider({ baseUrl: OPEN_METEO, apiKey: null }, http_());
  failNext = true;
  const report = await ingestWeather(
    {
      db: database.db,
      provider,
      logger,
      changes: processChanges.changes,
      now: new Date('2021-06-01T00:00:00Z'),
    },
    { season: 2021 },
  );
  expect(report.failures).toEqual([
    {
      round: 1,
      message: expect.stringMatching(
        /^GET https:\/\/archive-api\.open-meteo\.test\/v1\/archive\?.* failed: HTTP 500/,
      ),
    },
  ]);
  expect((await stored()).map((r) => r.round)).toEqual([2, 3]);
});

test('OpenWeather when a key is set: metric units, m/s → km/h, rain; the key never appears in errors', async () => {
  const provider = createWeatherProvider({ baseUrl: OPEN_WEATHER, apiKey: 'k3y' }, http_());
  expect(provider?.source).toBe('openweather');
  const report = await ingestWeather(
    {
      db: database.db,
      provider,
      logger,
      changes: processChanges.changes,
      now: new Date('2021-06-01T00:00:00Z'),
    },
    { season: 2021, round: 1 },
  );
  expect(report.counts.created).toBe(1);
  const row = (await stored()).find((r) => r.source === 'openweather');
  expect(row).toEqual({
    season: 2021,
    round: 1,
    source: 'openweather',
    observed_at: new Date('2021-04-04T13:00:00Z'),
    air_temperature_c: 18.4,
    precipitation_mm: 0.6,
    relative_humidity_pct: 77,
    wind_speed_kph: 18,
    wind_direction_deg: 200,
  });

  const wrongKey = createWeatherProvider(
    { baseUrl: OPEN_WEATHER, apiKey: 'secret-wrong' },
    http_(),
  );
  const failed = await ingestWeather(
    {
      db: database.db,
      provider: wrongKey,
      logger,
      changes: processChanges.changes,
      now: new Date('2021-06-01T00:00:00Z'),
    },
    { season: 2021, round: 2 },
  );
  expect(failed.failures[0]?.message).toContain('HTTP 401');
  expect(failed.failures[0]?.message).not.toContain('secret-wrong');
});

test('under a stale fence (a newer lock holder has written) weather writes nothing and stops', async () => {
  await sql`DELETE FROM weather_data`.execute(database.db);
  await sql`INSERT INTO ingestion_fences (name, token) VALUES ('weather-test', 5)
    ON CONFLICT (name) DO UPDATE SET token = 5`.execute(database.db);
  const provider = createWeatherProvider({ baseUrl: OPEN_METEO, apiKey: null }, http_());
  const deps = { db: database.db, provider, logger, changes: processChanges.changes };
  await expect(
    ingestWeather({ ...deps, fence: { name: 'weather-test', token: 4 } }, { season: 2021 }),
  ).rejects.toBeInstanceOf(FencedOffError);
  expect(await stored()).toEqual([]);
  // The current holder writes.
  const report = await ingestWeather(
    { ...deps, fence: { name: 'weather-test', token: 5 } },
    { season: 2021 },
  );
  expect(report.counts.created).toBeGreaterThan(0);
  expect((await stored()).length).toBe(report.counts.created);
});
