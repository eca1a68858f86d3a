/**
 * `bun run ingest bootstrap` against a stand-in Jolpica (msw, generated from the shared Ergast export,
 * with the source's real paging): interrupted after its first season (the abort signal SIGINT/SIGTERM
 * raise in main.ts), then rerun — which must not ask the source for the completed season again,
 * must start its hourly budget with the first run's requests, and must leave the database equal to the
 * export imported through the independent CSV path. Progress and ETA lines asserted; bad --from/--to
 * refused with the reason. Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@f1/db/connection/connect';
import { runCli } from '@f1/jobs/cli/run-cli';
import { dumpSeason } from '@f1/jobs/ingestion/testing';
import { FAKE_BASE_URL, fakeJolpica } from '@f1/jobs/sources/jolpica/testing';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { setupServer } from 'msw/node';

const SEASONS = [2022, 2023, 2024];
const dataDir = findSharedDataDir();

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { isTTY: false, write: (t: string) => void out.push(t) },
      stderr: { isTTY: false, write: (t: string) => void err.push(t) },
    },
  };
};

if (!dataDir) {
  skipSuite('ingest bootstrap', SHARED_DATA_MISSING);
} else {
  const csvDir = path.join(dataDir, 'ergast-csv');
  const fake = fakeJolpica({ exportDirs: [csvDir], seasons: SEASONS });
  const server = setupServer(...fake.handlers);
  /** Requests the stand-in received, by the season in their path. */
  const requests: string[] = [];
  const seasonOf = (url: string) =>
    (new URL(url).pathname.split('/')[3] ?? '').replace(/\.json$/, '');
  const countBy = (season: number) => requests.filter((u) => seasonOf(u) === String(season)).length;
  let onRequest: (url: string) => void = () => {};
  server.events.on('request:start', ({ request }) => {
    requests.push(request.url);
    onRequest(request.url);
  });
  let oracle: TestDatabase;
  const dir = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
  const config = testConfig({
    F1_ERGAST_BASE_URL: FAKE_BASE_URL,
    F1_ERGAST_REQUESTS_PER_SECOND: '100',
    F1_DATA_DIR: dir,
  });

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    oracle = await freshDatabase('pglite');
    await loadCsvSeasons(oracle.db, { seasons: SEASONS });
  }, 60_000);
  afterAll(async () => {
    server.close();
    await oracle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('interrupted after one season, a rerun resumes without refetching it; the database equals the export', async () => {
    // Run 1: stop (as SIGTERM would) when the first request for 2023 arrives. The pacer lets no
    // further request go, so that season is cut short after one request and not recorded as done.
    const controller = new AbortController();
    onRequest = (url) => {
      if (seasonOf(url) === '2023') controller.abort('SIGTERM');
    };
    const first = capture();
    const code1 = await runCli(['bootstrap', '--from', '2022', '--to', '2024'], first.io, {
      config,
      signal: controller.signal,
    });
    onRequest = () => {};
    const log1 = first.err.join('');
    expect(code1).toBe(1);
    // The plan: seasons, estimated requests and the ETA from the budget (100/s, 500/hour).
    expect(log1).toMatch(
      /^bootstrap 2022–2024: 3 season\(s\) to load, 0 loaded by an earlier run; ~42 requests, ETA \d+ s \(100\/s within 500\/hour, 0 used in the last hour\)\n/,
    );
    expect(log1).toContain('bootstrap: 3 step(s)\n');
    // 2022 costs 13 requests (22 races, no laps; 60 sprint rows fit one page).
    expect(log1).toMatch(
      /bootstrap 1\/3 2022: 13 requests, 22 round\(s\), \d+ rows; ~\d+ requests left, ETA \d+ s\n/,
    );
    expect(log1).toContain('stopped (SIGTERM) before 2023 was complete\n');
    expect(log1).toContain('bootstrap: 1 season(s) loaded this run, 0 by earlier runs');
    expect(first.out.join('')).toContain(
      'FAILED bootstrap 2022–2024 stopped after 1 season(s) this run; rerun `bun run ingest bootstrap --from 2022 --to 2024` to continue',
    );
    expect(countBy(2022)).toBe(13);
    expect(countBy(2023)).toBe(1);
    expect(countBy(2024)).toBe(0);
    const firstRequests = requests.length;

    // Run 2: 2022 is skipped (no request for it), 2023 is read again, 2024 for the first time.
    requests.length = 0;
    const second = capture();
    expect(
      await runCli(['bootstrap', '--from', '2022', '--to', '2024'], second.io, { config }),
    ).toBe(0);
    const log2 = second.err.join('');
    // The budget starts with the first run's requests (from the database: no Redis here).
    expect(log2).toStartWith(
      `bootstrap 2022–2024: 2 season(s) to load, 1 loaded by an earlier run; ~28 requests, ETA `,
    );
    expect(log2).toContain(`, ${firstRequests} used in the last hour)`);
    expect(log2).toMatch(/bootstrap 2\/2 2024: 14 requests, 24 round\(s\), \d+ rows; done\n/);
    expect(countBy(2022)).toBe(0);
    expect(countBy(2023)).toBe(14);
    expect(countBy(2024)).toBe(14);
    expect(second.out.join('')).toContain('requests: 28, 429s: 0, retries: 0');

    // Run 3: nothing left to do, no request at all.
    requests.length = 0;
    const third = capture();
    expect(
      await runCli(['bootstrap', '--from', '2022', '--to', '2024'], third.io, { config }),
    ).toBe(0);
    expect(requests).toEqual([]);
    expect(third.err.join('')).toStartWith(
      'bootstrap 2022–2024: 0 season(s) to load, 3 loaded by an earlier run; ~0 requests',
    );

    const database = await connect(config.database);
    try {
      for (const season of SEASONS) {
        expect(await dumpSeason(database.db, season)).toEqual(await dumpSeason(oracle.db, season));
      }
      const runs = await database.db
        .selectFrom('ingestion_runs')
        .select(['kind', 'status'])
        .where('kind', '=', 'bootstrap')
        .orderBy('id')
        .execute();
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded', 'succeeded']);
      const recorded = await database.db
        .selectFrom('bootstrap_seasons')
        .select(['season', 'requests'])
        .where('completed_at', 'is not', null)
        .orderBy('season')
        .execute();
      // 2023's two attempts within the hour add up: the budget seed counts both.
      expect(recorded).toEqual([
        { season: 2022, requests: 13 },
        { season: 2023, requests: 15 },
        { season: 2024, requests: 14 },
      ]);
    } finally {
      await database.close();
    }
  }, 120_000);

  test.each([
    [
      ['--from', '1949'],
      '--from 1949 is out of range: seasons run from 1950 (the first championship) to',
    ],
    [['--from', 'abc'], '--from must be a season (a year such as 1950), got "abc"'],
    [['--to', '3000'], '--to 3000 is out of range'],
    [['--from', '2024', '--to', '2022'], '--from 2024 is after --to 2022'],
    [['2024'], 'bootstrap takes no arguments (got "2024"); use --from <year> and --to <year>'],
  ])('bootstrap %j is refused with the reason (exit 2, no request)', async (args, reason) => {
    requests.length = 0;
    const run = capture();
    expect(await runCli(['bootstrap', ...args], run.io, { config })).toBe(2);
    expect(run.err.join('')).toContain(reason);
    expect(requests).toEqual([]);
  });
}
