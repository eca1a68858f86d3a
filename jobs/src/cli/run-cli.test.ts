import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listIngestionRuns } from '@f1/db/ingestion/runs';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, type TestDatabase, testBackends } from '@f1/testkit/postgres';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { parseInvocation } from './invocation.ts';
import { runCli } from './run-cli.ts';

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
  expect(() => parseInvocation([])).toThrow(/usage: bun run ingest/);
  expect(() => parseInvocation(['race', '2024', '--round', 'five'])).toThrow(
    '--round must be a number, got "five"',
  );
  expect(() => parseInvocation(['race', '--bogus'])).toThrow();
});

test('unknown verbs, missing arguments and bad configuration exit 2 with one line', async () => {
  const a = io();
  expect(await runCli(['fly'], a.io, { config: testConfig() })).toBe(2);
  expect(a.err.join('')).toContain('unknown command "fly"');
  const b = io();
  expect(await runCli(['import-csv'], b.io, { env: { F1_ERGAST_TIMEOUT: 'soon' } })).toBe(2);
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
    expect(summary).toContain('rows: 41 created, 0 updated, 0 deleted, 0 unchanged');
    expect(first.err.join('')).toContain('import-csv 2/2 standings refreshed');

    const second = io();
    expect(await runCli(['import-csv', MINI_EXPORT_DIR], second.io, { config })).toBe(0);
    expect(second.out.join('')).toContain('rows: 0 created, 0 updated, 0 deleted, 41 unchanged');
    expect(second.err.join('')).toContain('nothing changed');
    if (database) {
      const runs = await listIngestionRuns(database.db);
      expect(runs.map((r) => [r.kind, r.status, r.stats.created])).toEqual([
        ['import-csv', 'succeeded', 0],
        ['import-csv', 'succeeded', 41],
      ]);
    }
  }, 60_000);

  test('an error text holding a NUL byte is printed with @ in its place (logs stay text)', async () => {
    const failed = io();
    expect(await runCli(['import-csv', 'export\0dir'], failed.io, { config })).toBe(1);
    const text = failed.err.join('');
    expect(text).toContain('export@dir');
    expect(text).not.toContain('\0');
  }, 60_000);

  test('validate --csv passes on equal standings and fails (exit 1) listing differences', async () => {
    const ok = io();
    expect(await runCli(['validate', '2021', '--csv', MINI_EXPORT_DIR], ok.io, { config })).toBe(0);
    expect(ok.err.join('')).toContain(
      '2021: standings after round 2 equal the official ones (6 rows)',
    );

    const bad = io();
    const wrongDir = path.join(import.meta.dir, '..', 'csv', 'fixtures');
    expect(await runCli(['validate', '2021', '--csv', wrongDir], bad.io, { config })).toBe(1);
    expect(bad.err.join('')).toContain('ingest failed: cannot read');

    const missing = io();
    expect(
      await runCli(['validate', '1999', '--csv', MINI_EXPORT_DIR], missing.io, { config }),
    ).toBe(2);
    expect(missing.err.join('')).toContain('has no standings for 1999');
    const noSeason = io();
    expect(await runCli(['validate'], noSeason.io, { config })).toBe(2);
    expect(noSeason.err.join('')).toContain('validate needs a season');
  }, 60_000);
});
