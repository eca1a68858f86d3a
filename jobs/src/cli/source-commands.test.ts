import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listIngestionRuns } from '@f1/db/ingestion/runs';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase, testBackends } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { FAKE_BASE_URL, fakeJolpica } from '../sources/jolpica/testing.ts';
import { runCli } from './run-cli.ts';

const fake = fakeJolpica({ exportDirs: [MINI_EXPORT_DIR] });
const server = setupServer(...fake.handlers);
let database: TestDatabase | null = null;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  const source = { F1_ERGAST_BASE_URL: FAKE_BASE_URL, F1_ERGAST_REQUESTS_PER_SECOND: '100' };
  if (testBackends().includes('postgres')) {
    database = await freshDatabase('postgres');
    config = testConfig({ ...source, F1_DATABASE_URL: database.url ?? '' });
  } else {
    config = testConfig({
      ...source,
      F1_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ingest-cli-')),
    });
  }
}, 60_000);
afterAll(async () => {
  server.close();
  await database?.close();
});

async function cli(...argv: string[]) {
  return cliWith(config, ...argv);
}

async function cliWith(cliConfig: typeof config, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    {
      stdout: { isTTY: false, write: (t) => void out.push(t) },
      stderr: { isTTY: false, write: (t) => void err.push(t) },
    },
    { config: cliConfig },
  );
  return { code, out: out.join(''), err: err.join('') };
}

test('season: progress per round, summary with requests, exit 0; rerun reports no change', async () => {
  const first = await cli('season', '2021');
  expect(first.code).toBe(0);
  expect(first.err).toContain('2021 2/3 round 2: 8 rows');
  expect(first.out).toMatch(/race_results\s+8\s+0\s+0\s+0\n/);
  expect(first.out).toContain('requests: 5, 429s: 0, retries: 0');
  const again = await cli('season', '2021');
  expect(again.out).toMatch(/rows: 0 created, 0 updated, 0 deleted, \d+ unchanged/);
});

test('race and qualifying need --round; validate compares with the source standings', async () => {
  expect((await cli('race', '2021')).code).toBe(2);
  const race = await cli('race', '2021', '--round', '2');
  expect(race.code).toBe(0);
  expect(race.out).toMatch(/race_results\s+0\s+0\s+0\s+4\n/);
  expect((await cli('qualifying', '2021', '--round', '1')).out).toMatch(
    /qualifying_results\s+0\s+0\s+0\s+4\n/,
  );

  const valid = await cli('validate', '2021');
  expect(valid.code).toBe(0);
  expect(valid.err).toContain(
    '2021: standings after all 2 round(s) equal the official ones (12 rows)',
  );
  // Every round: the latest drivers' table, then each round's other tables (2 a round).
  expect(valid.out).toContain('requests: 4');

  const standing = fake.standings.find(
    (s) => s.season === 2021 && s.round === 2 && s.ref === 'driver_c',
  );
  if (!standing) throw new Error('fixture changed');
  standing.points = 28;
  const invalid = await cli('validate', '2021');
  standing.points = 27;
  expect(invalid.code).toBe(1);
  expect(invalid.err).toContain('2021 round 2 drivers driver_c: points 27, official 28');
  expect((await cli('validate', '1999')).err).toContain('the source has no standings for 1999');
});

test('a failing round exits 1 naming the round, field and URL; the run is recorded as failed', async () => {
  fake.fail(/2021\/1\/qualifying/, {
    mutate: (body) => {
      const races = (
        body.MRData as { RaceTable: { Races: { QualifyingResults: { position: string }[] }[] } }
      ).RaceTable.Races;
      const first = races[0]?.QualifyingResults[0];
      if (first) first.position = 'first';
    },
  });
  const run = await cli('qualifying', '2021', '--round', '1');
  expect(run.code).toBe(1);
  expect(run.out).toContain(
    `FAILED 2021 round 1: QualifyingResults[0].position: expected an integer, got "first" (${FAKE_BASE_URL}/2021/1/qualifying.json?limit=100&offset=0)`,
  );
  if (database) {
    const [latest] = await listIngestionRuns(database.db, { limit: 1 });
    expect(latest).toMatchObject({ kind: 'qualifying', season: 2021, round: 1, status: 'failed' });
    expect(latest?.error).toContain('QualifyingResults[0].position');
  }
});

test('an unreachable source fails with the URL and cause', async () => {
  fake.fail(/2022/, { status: 503 }, 10);
  const run = await runCli(
    ['season', '2022'],
    {
      stdout: { isTTY: false, write: () => {} },
      stderr: { isTTY: false, write: (t) => void errors.push(t) },
    },
    { config: { ...config, ergast: { ...config.ergast, retryAttempts: 0 } } },
  );
  expect(run).toBe(1);
  expect(errors.join('')).toContain(
    `ingest failed: GET ${FAKE_BASE_URL}/2022.json?limit=100&offset=0 failed: HTTP 503`,
  );
});
const errors: string[] = [];

test("weather: the summary counts the provider's requests", async () => {
  expect((await cli('season', '2021')).code).toBe(0);
  let requests = 0;
  server.use(
    http.get('https://weather.test/v1/archive', ({ request }) => {
      requests++;
      const day = new URL(request.url).searchParams.get('start_date');
      const hours = Array.from({ length: 24 }, (_, h) => h);
      return HttpResponse.json({
        hourly: {
          time: hours.map((h) => `${day}T${String(h).padStart(2, '0')}:00`),
          temperature_2m: hours.map(() => 20),
          precipitation: hours.map(() => 0),
          relative_humidity_2m: hours.map(() => 50),
          wind_speed_10m: hours.map(() => 5),
          wind_direction_10m: hours.map(() => 90),
        },
      });
    }),
  );
  const weather = { baseUrl: 'https://weather.test/v1', apiKey: null };
  const run = await cliWith({ ...config, weather }, 'weather', '2021');
  expect(run.code, run.err).toBe(0);
  expect(requests).toBeGreaterThan(0);
  expect(run.out).toContain(`requests: ${requests}, 429s: 0, retries: 0`);
});

test('--laps: race and season also ingest lap timings and pit stops; elsewhere it is a usage error', async () => {
  const race = await cli('race', '2021', '--round', '2', '--laps');
  expect(race.code).toBe(0);
  expect(race.out).toMatch(/lap_times\s+4\s+0\s+0\s+0\n/);
  expect(race.out).toMatch(/pit_stops\s+1\s+0\s+0\s+0\n/);
  // results, sprint, one page of laps, one of pit stops
  expect(race.out).toContain('requests: 4,');
  const season = await cli('season', '2021', '--laps');
  expect(season.code).toBe(0);
  expect(season.out).toMatch(/lap_times\s+161\s+0\s+0\s+4\n/);
  expect(season.out).toMatch(/pit_stops\s+5\s+0\s+0\s+1\n/);

  const misplaced = await cli('qualifying', '2021', '--round', '1', '--laps');
  expect(misplaced.code).toBe(2);
  expect(misplaced.err).toBe(
    'qualifying does not take --laps (it takes --round)\n' +
      '(bun run ingest qualifying --help shows the usage)\n',
  );
  const unknown = await cli('season', '2021', '--lapz');
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('unknown option --lapz');
  expect(unknown.err).not.toContain('ingest failed');
});
