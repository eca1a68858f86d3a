/**
 * Ingestion through the API client against a fake Jolpica generated from the real Ergast CSV export
 * (real paging: limit clamped to 100, rows not races, races split across pages) and real recorded
 * Jolpica responses. Oracles: the CSV export itself (imported through the independent CSV path) and
 * the official standings (the export's standings files; the recorded final 2024 standings).
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seasonStandings } from '@f1/db/standings/refresh';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { runCli } from '@f1/jobs/cli/run-cli';
import { dumpSeason } from '@f1/jobs/ingestion/testing';
import { SourceHttp } from '@f1/jobs/sources/http/http';
import { JolpicaClient } from '@f1/jobs/sources/jolpica/client';
import { ingestSeason, RaceIngestionService } from '@f1/jobs/sources/jolpica/ingest';
import { addRecorded, FAKE_BASE_URL, fakeJolpica } from '@f1/jobs/sources/jolpica/testing';
import { compareStandings } from '@f1/jobs/validate/compare-standings';
import { readCsvFinalStandings } from '@f1/jobs/validate/csv-standings';
import { describeEachBackend } from '@f1/testkit/backends';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { setupServer } from 'msw/node';

const SEASONS = [2021, 2022, 2023, 2024];
const dataDir = findSharedDataDir();

if (!dataDir) {
  skipSuite('API ingestion of real seasons', SHARED_DATA_MISSING);
} else {
  const csvDir = path.join(dataDir, 'ergast-csv');
  const fake = fakeJolpica({ exportDirs: [csvDir], seasons: SEASONS });
  const server = setupServer(...fake.handlers);
  const official = readCsvFinalStandings(csvDir, SEASONS);
  let oracle: TestDatabase;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    oracle = await freshDatabase('pglite');
    await loadCsvSeasons(oracle.db, { seasons: [2023] });
  }, 60_000);
  afterAll(async () => {
    server.close();
    await oracle.close();
  });

  const client = () =>
    new JolpicaClient(
      new SourceHttp({
        timeoutMs: 5_000,
        retryAttempts: 3,
        requestsPerSecond: 1_000,
        hourlyBudget: 500,
        backoffBaseMs: 1,
      }),
      FAKE_BASE_URL,
    );

  describeEachBackend('API ingestion of real seasons', (database) => {
    test('the full 2023 season: 14 requests (the minimum at 100 rows a page), and the database equals the CSV export', async () => {
      const source = client();
      const report = await ingestSeason({ db: database().db, client: source }, 2023);
      expect(report.failures).toEqual([]);
      expect(report.roundsWritten.length).toBe(22);
      // 22 races, the season's page, then 440 result, 120 sprint and 440 qualifying rows at 100 a page.
      expect(source.stats).toEqual({ requests: 1 + 1 + 5 + 2 + 5, throttled: 0, retries: 0 });
      expect(await dumpSeason(database().db, 2023)).toEqual(await dumpSeason(oracle.db, 2023));
    }, 60_000);

    test('2021–2024 standings computed from API data equal the official ones', async () => {
      for (const season of [2021, 2022, 2024]) {
        const report = await ingestSeason({ db: database().db, client: client() }, season);
        expect(report.failures).toEqual([]);
      }
      await refreshStandings(database().db);
      for (const season of SEASONS) {
        const ours = await seasonStandings(database().db, { season });
        const theirs = official.get(season);
        expect(compareStandings('drivers', ours.drivers, theirs?.drivers ?? [])).toEqual([]);
        expect(
          compareStandings('constructors', ours.constructors, theirs?.constructors ?? []),
        ).toEqual([]);
      }
    }, 120_000);

    test('recorded Jolpica answers: round 9 of 2023 re-ingested keeps every result, adopts the new status texts', async () => {
      addRecorded(fake, path.join(dataDir, 'ergast-json', 'jolpica-fixtures'), [
        'results/2023@9@results.json',
      ]);
      try {
        const before = (await dumpSeason(database().db, 2023)).results.filter((r) => r.round === 9);
        const report = await new RaceIngestionService({ db: database().db, client: client() }).run({
          season: 2023,
          round: 9,
        });
        expect(report.failures).toEqual([]);
        const after = (await dumpSeason(database().db, 2023)).results.filter((r) => r.round === 9);
        // Classification, points and laps agree; Jolpica gives pit-lane starters a grid slot where the
        // Ergast export says 0, and words statuses differently, so those columns may change.
        const facts = (rows: typeof after) =>
          rows.map((r) => [r.driver_ref, r.position_order, r.position, r.points, r.laps]);
        expect(facts(after)).toEqual(facts(before));
        const statuses = after.map((r) => r.status);
        expect(statuses).toContain('Lapped'); // Jolpica's wording; the Ergast export said "+1 Lap"
        expect(report.tables.race_results.created + report.tables.race_results.deleted).toBe(0);
      } finally {
        fake.recorded.clear();
      }
    });
  });

  test('validate 2024: every round against the source (the final table recorded from api.jolpi.ca)', async () => {
    const recorded = path.join(dataDir, 'ergast-json', 'standings-2024-final');
    fake.recorded.set('2024/driverstandings', path.join(recorded, 'driverstandings_2024.json'));
    fake.recorded.set(
      '2024/constructorstandings',
      path.join(recorded, 'constructorstandings_2024.json'),
    );
    const config = testConfig({
      F1_ERGAST_BASE_URL: FAKE_BASE_URL,
      F1_ERGAST_REQUESTS_PER_SECOND: '100',
      F1_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'validate-2024-')),
    });
    const err: string[] = [];
    const io = {
      stdout: { isTTY: false, write: () => {} },
      stderr: { isTTY: false, write: (t: string) => void err.push(t) },
    };
    try {
      expect(await runCli(['import-csv', csvDir, '--seasons', '2024'], io, { config })).toBe(0);
      err.length = 0;
      expect(await runCli(['validate', '2024'], io, { config })).toBe(0);
      expect(err.join('')).toBe(
        // Every round from the source's standings endpoints (the final table recorded from api.jolpi.ca).
        '2024: standings after all 24 round(s) equal the official ones (759 rows)\n',
      );
    } finally {
      fake.recorded.clear();
    }
  }, 60_000);
}
