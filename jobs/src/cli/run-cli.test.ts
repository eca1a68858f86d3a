import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listIngestionRuns } from '@f1/db/ingestion/runs';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase, testBackends } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { parseInvocation } from './invocation.ts';
import { runCli, VERBS } from './run-cli.ts';

function io() {
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
}

test('arguments: verb, season, --round, --seasons; bad ones are usage errors', () => {
  expect(parseInvocation(['race', '2024', '--round', '5'])).toMatchObject({
    command: 'race',
    positionals: ['2024'],
    round: 5,
  });
  expect(parseInvocation(['import-csv', 'a', 'b', '--seasons', '2021, 2022']).seasons).toEqual([
    2021, 2022,
  ]);
  expect(parseInvocation([]).command).toBe('');
  expect(() => parseInvocation(['race', '2024', '--round', 'five'])).toThrow(
    '--round must be a number, got "five"',
  );
  expect(() => parseInvocation(['race', '2024', '--round', '41'])).toThrow(
    '--round must be a round from 1 to 40, got "41"',
  );
  expect(() => parseInvocation(['import-csv', 'a', '--seasons', '2021,1949'])).toThrow(
    '--seasons must be a season from 1950',
  );
  expect(() => parseInvocation(['race', '--bogus'])).toThrow('unknown option --bogus');
});

test('every verb has a --help page from its declaration; the overview lists them all', async () => {
  for (const verb of VERBS) {
    const page = io();
    expect(await runCli([verb.name, '--help'], page.io)).toBe(0);
    expect(page.out.join('')).toStartWith(`usage: bun run ingest ${verb.name} ${verb.synopsis}`);
  }
  const overview = io();
  expect(await runCli(['-h'], overview.io)).toBe(0);
  for (const verb of VERBS)
    expect(overview.out.join('')).toContain(`${verb.name} ${verb.synopsis}`);
});

test('wrong arguments are refused before the configuration is read, naming the argument', async () => {
  // A bad configuration too: the argument is reported, so nothing read it (or connected).
  const env = { F1_ERGAST_TIMEOUT: 'soon' };
  const cases: [string[], string][] = [
    [['season', '1949'], 'season <year> must be a season from 1950'],
    [['season', '2024', '2025'], 'season takes one <year>, got extra argument(s): 2025'],
    [['qualifying', '2024'], 'qualifying needs --round <n>'],
    [['weather', 'soon'], 'weather <year> must be a season from 1950'],
    [['validate', '2021', '--laps'], 'validate does not take --laps (it takes --all, --csv)'],
    [['validate', '2021', '--all'], 'a season or --all, not both'],
    [['validate', '2021', '2022'], 'validate takes one <year>'],
    [['import-csv', '--seasons', '2021'], 'import-csv needs at least one export folder'],
    [
      ['import-csv', MINI_EXPORT_DIR, '/nonexistent'],
      'import-csv: <dir> "/nonexistent" is not an Ergast CSV export folder (it has no races.csv)',
    ],
    [[], 'a command is missing: expected one of season, race'],
  ];
  for (const [argv, message] of cases) {
    const run = io();
    expect(await runCli(argv, run.io, { env })).toBe(2);
    expect(run.err.join('')).toContain(message);
  }
});

test('unknown verbs and bad configuration exit 2 with one line (and, for a verb, the help hint)', async () => {
  const a = io();
  expect(await runCli(['fly'], a.io, { config: testConfig() })).toBe(2);
  expect(a.err.join('')).toBe(
    'unknown command "fly": expected one of season, race, qualifying, validate, weather, import-csv, bootstrap\n' +
      '(bun run ingest --help shows the usage)\n',
  );
  const b = io();
  const config = { env: { F1_ERGAST_TIMEOUT: 'soon' } };
  expect(await runCli(['import-csv', MINI_EXPORT_DIR], b.io, config)).toBe(2);
  expect(b.err.join('')).toBe(
    'Invalid configuration: F1_ERGAST_TIMEOUT is invalid: Invalid input: expected number, received NaN\n',
  );
});

describe('ingest CLI against a database', () => {
  let database: TestDatabase | null = null;
  let config: ReturnType<typeof testConfig>;
  beforeAll(async () => {
    if (testBackends().includes('postgres')) {
      database = await freshDatabase('postgres');
      config = testConfig({ F1_DATABASE_URL: database.url ?? '' });
    } else {
      config = testConfig({ F1_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ingest-cli-')) });
    }
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  test('import-csv loads, reports per table, records the run; a rerun reports no change', async () => {
    const first = io();
    expect(await runCli(['import-csv', MINI_EXPORT_DIR], first.io, { config })).toBe(0);
    const summary = first.out.join('');
    expect(summary).toMatch(/race_results\s+11\s+0\s+0\s+0\n/);
    expect(summary).toMatch(/seasons\s+2\s+0\s+0\s+0\n/);
    expect(summary).toContain('rows: 217 created, 0 updated, 0 deleted, 0 unchanged');
    expect(first.err.join('')).toContain('import-csv 2/2 standings refreshed');

    const second = io();
    expect(await runCli(['import-csv', MINI_EXPORT_DIR], second.io, { config })).toBe(0);
    expect(second.out.join('')).toContain('rows: 0 created, 0 updated, 0 deleted, 217 unchanged');
    expect(second.err.join('')).toContain('nothing changed');
    if (database) {
      const runs = await listIngestionRuns(database.db);
      expect(runs.map((r) => [r.kind, r.status, r.stats.created])).toEqual([
        ['import-csv', 'succeeded', 0],
        ['import-csv', 'succeeded', 217],
      ]);
    }
  }, 60_000);

  test('an error text holding a NUL byte (here a usage error naming the folder) is printed with @ in its place', async () => {
    const failed = io();
    expect(await runCli(['import-csv', 'export\0dir'], failed.io, { config })).toBe(2);
    const text = failed.err.join('');
    expect(text).toContain('export@dir');
    expect(text).not.toContain('\0');
  }, 60_000);

  test('validate --csv compares every round: exit 0 when equal, 1 listing a difference, 2 on usage', async () => {
    const ok = io();
    expect(await runCli(['validate', '2021', '--csv', MINI_EXPORT_DIR], ok.io, { config })).toBe(0);
    expect(ok.err.join('')).toContain(
      '2021: standings after all 2 round(s) equal the official ones (12 rows)',
    );

    // The same export with one official row changed: driver 102's points after round 1.
    const changed = mkdtempSync(path.join(tmpdir(), 'validate-csv-'));
    cpSync(MINI_EXPORT_DIR, changed, { recursive: true });
    const standings = path.join(changed, 'driver_standings.csv');
    writeFileSync(
      standings,
      readFileSync(standings, 'utf8').replace('2,501,102,18,2,"2",0', '2,501,102,17,2,"2",0'),
    );
    const bad = io();
    expect(await runCli(['validate', '2021', '--csv', changed], bad.io, { config })).toBe(1);
    expect(bad.err.join('')).toContain('2021 round 1 drivers driver_b: points 18, official 17');
    expect(bad.err.join('')).toContain(
      '2021: 1 difference(s) from the official standings in 2 round(s)',
    );

    // --all: every season of the database; 1955 has no constructors' table on either side.
    const all = io();
    expect(await runCli(['validate', '--all', '--csv', MINI_EXPORT_DIR], all.io, { config })).toBe(
      0,
    );
    expect(all.err.join('')).toContain('1955: standings after all 1 round(s) equal');
    expect(all.err.join('')).toContain('2021: standings after all 2 round(s) equal');

    const unreadable = io();
    const wrongDir = path.join(import.meta.dir, '..', 'csv', 'fixtures');
    expect(await runCli(['validate', '2021', '--csv', wrongDir], unreadable.io, { config })).toBe(
      1,
    );
    expect(unreadable.err.join('')).toContain('ingest failed: cannot read');

    const missing = io();
    expect(
      await runCli(['validate', '1999', '--csv', MINI_EXPORT_DIR], missing.io, { config }),
    ).toBe(2);
    expect(missing.err.join('')).toContain('has no standings for 1999');
    const noSeason = io();
    expect(await runCli(['validate'], noSeason.io, { config })).toBe(2);
    expect(noSeason.err.join('')).toContain('validate <year> is missing');
    const both = io();
    expect(await runCli(['validate', '2021', '--all'], both.io, { config })).toBe(2);
    expect(both.err.join('')).toContain('a season or --all, not both');
  }, 60_000);
});
