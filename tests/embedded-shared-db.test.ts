/**
 * Issue 11, finding 2: one embedded (PGlite) data directory, many processes. The server owns the
 * directory; `ingest`, `admin`, `backtest`, `jobs` and `db` run WHILE it serves and reach the database
 * through it; a restart finds every row; a SIGKILLed owner leaves no stale lock; of two servers started
 * at once exactly one owns the directory and the other says who does, in one line.
 *
 * Before the fix the CLIs opened the directory themselves next to the server: the import reported its
 * rows, the server never saw them, and the next start failed with `Aborted()`.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSharedPglite } from '@f1/db/connection/connect';
import { startServer } from '@f1/testkit/processes';
import { MINI_EXPORT_DIR } from '@f1/testkit/shared-data';
import { sql } from 'kysely';

const ROOT = path.resolve(import.meta.dir, '..');
const MINI_EXPORT = MINI_EXPORT_DIR;
/** Result rows of the fixture's 2021 round 1 (raceId 501 in results.csv). */
const RACE_501_RESULTS = 4;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'f1-shared-pglite-'));
  dirs.push(dir);
  return dir;
}

function cliEnv(dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    F1_ENVIRONMENT: 'test',
    F1_LOG_LEVEL: 'warn',
    F1_BCRYPT_COST: '10',
    F1_DATA_DIR: dir,
  };
}

async function run(args: string[], dir: string) {
  const proc = Bun.spawn(['bun', 'run', ...args], {
    cwd: ROOT,
    env: cliEnv(dir),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { args: args.join(' '), code, stdout, stderr };
}

const TABLES = [
  'races',
  'race_results',
  'qualifying_results',
  'drivers',
  'api_keys',
  'predictions',
];

/** Row counts, read by opening the directory in this process (no server may be running). */
async function rowCounts(dir: string): Promise<Record<string, number>> {
  const database = await openSharedPglite(path.join(dir, 'pglite'));
  try {
    expect(database.role).toBe('owner');
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db);
      counts[table] = rows[0]?.n ?? -1;
    }
    return counts;
  } finally {
    await database.close();
  }
}

test('CLIs and the scheduler run against the server-owned embedded database; a restart keeps every row', async () => {
  const dir = dataDir();
  const server = await startServer({ F1_DATA_DIR: dir });
  let restarted: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const started = performance.now();
    const results = await Promise.all([
      run(['ingest', 'import-csv', MINI_EXPORT], dir),
      run(['admin', 'create-api-key', 'shared-dir test', '--role', 'ml_service'], dir),
      run(['jobs', '--once', 'queue'], dir),
      run(['db', 'status'], dir),
    ]);
    // The backtest and the ratings read the imported history, so they follow the import — again side
    // by side, with another key being created and the server answering reads meanwhile.
    const reads = Array.from({ length: 20 }, () =>
      fetch(`${server.url}/api/v1/seasons/2021/races/1/results`).then((r) => r.status),
    );
    results.push(
      ...(await Promise.all([
        run(['backtest', '2021', '2021'], dir),
        run(['ratings'], dir),
        run(['admin', 'create-api-key', 'second key', '--role', 'ml_service'], dir),
      ])),
    );
    expect(new Set(await Promise.all(reads))).toEqual(new Set([200]));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const result of results) {
      if (result.code !== 0)
        throw new Error(`${result.args} exited ${result.code}: ${result.stderr}`);
    }
    const [, apiKey, , status] = results;
    expect(apiKey?.stdout.trimEnd().split('\n').at(-1)).toMatch(/^f1k_[0-9a-f]{72}$/);
    expect(status?.stdout).toContain('database: pglite');

    // The server serves what the CLIs wrote through it.
    const served = await fetch(`${server.url}/api/v1/seasons/2021/races/1/results`);
    expect(served.status).toBe(200);
    const body = (await served.json()) as { rows: unknown[] };
    expect(body.rows).toHaveLength(RACE_501_RESULTS);

    await server.stop();
    const before = await rowCounts(dir);
    expect(before.races).toBeGreaterThan(0);
    expect(before.race_results).toBeGreaterThan(0);
    expect(before.api_keys).toBe(2);
    expect(before.predictions).toBeGreaterThan(0);

    restarted = await startServer({ F1_DATA_DIR: dir });
    const again = await fetch(`${restarted.url}/api/v1/seasons/2021/races/1/results`);
    expect(((await again.json()) as { rows: unknown[] }).rows).toHaveLength(RACE_501_RESULTS);
    const status2 = await run(['db', 'status'], dir);
    expect(status2.code).toBe(0);
    expect(status2.stdout).toContain('pending:  (none)');
    await restarted.stop();
    expect(await rowCounts(dir)).toEqual(before);
    console.log(`shared embedded database: ${results.length} CLI runs in ${seconds} s`, before);
  } finally {
    await server.stop();
    await restarted?.stop();
  }
}, 240_000);

test('a SIGKILLed owner leaves no stale lock: the next server owns the directory and CLIs share it', async () => {
  const dir = dataDir();
  const first = await startServer({ F1_DATA_DIR: dir });
  const created = await run(
    ['admin', 'create-api-key', 'before the kill', '--role', 'ml_service'],
    dir,
  );
  expect(created.code).toBe(0);
  process.kill(first.pid, 'SIGKILL');
  await first.stop();

  const second = await startServer({ F1_DATA_DIR: dir });
  try {
    const again = await run(
      ['admin', 'create-api-key', 'after the kill', '--role', 'ml_service'],
      dir,
    );
    expect(again.code).toBe(0);
  } finally {
    await second.stop();
  }
  expect((await rowCounts(dir)).api_keys).toBe(2);
}, 180_000);

/** Spawns `bun run start`; resolves with `listening` once it serves, or its exit code and stderr. */
async function startOrFail(dir: string) {
  const proc = Bun.spawn(['bun', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...cliEnv(dir),
      F1_LOG_LEVEL: 'info',
      F1_HOST: '127.0.0.1',
      F1_PORT: '0',
      F1_JWT_SECRET_KEY: 'test-secret-'.padEnd(40, 'x'),
    },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const stderr = new Response(proc.stderr).text();
  const reader = proc.stdout.getReader();
  let output = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    output += new TextDecoder().decode(chunk.value);
    if (output.includes('listening on')) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return { proc, listening: true, code: null, stderr: '' };
    }
  }
  return { proc, listening: false, code: await proc.exited, stderr: await stderr };
}

test('two servers started at once on one directory: one owns it, the other exits naming the owner', async () => {
  const dir = dataDir();
  const both = await Promise.all([startOrFail(dir), startOrFail(dir)]);
  try {
    const owners = both.filter((s) => s.listening);
    const refused = both.filter((s) => !s.listening);
    expect(owners).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const [owner] = owners;
    const [other] = refused;
    expect(other?.code).toBe(1);
    const lines = other?.stderr.trim().split('\n') ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`in use by pid ${owner?.proc.pid}`);
    expect(lines[0]).toContain('server/src/main.ts');
  } finally {
    for (const { proc } of both) proc.kill('SIGTERM');
    await Promise.all(both.map(({ proc }) => proc.exited));
  }
}, 120_000);
