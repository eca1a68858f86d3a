/**
 * `bun run start` as a user runs it: a real process, a real port, configuration from the environment.
 */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase } from '@f1/testkit/postgres';
import { needs, testWith } from '@f1/testkit/skip';

const ROOT = path.resolve(import.meta.dir, '..');
const MAIN = path.join(ROOT, 'server/src/main.ts');

/** The process env without any F1_* the developer may have set, plus `env`. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('F1_') && v !== undefined) base[k] = v;
  return { ...base, F1_LOG_LEVEL: 'info', ...env };
}

async function runToExit(env: Record<string, string>) {
  const proc = Bun.spawn(['bun', MAIN], {
    env: cleanEnv(env),
    stdout: 'pipe',
    stderr: 'pipe',
    cwd: ROOT,
  });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, stderr };
}

async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

/** Starts the server and waits until /health answers; returns the process and base URL. */
async function start(env: Record<string, string>) {
  const port = await freePort();
  const proc = Bun.spawn(['bun', MAIN], {
    env: cleanEnv({ F1_PORT: String(port), F1_HOST: '127.0.0.1', ...env }),
    stdout: 'pipe',
    stderr: 'pipe',
    cwd: ROOT,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`server exited: ${await new Response(proc.stderr).text()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status) return { proc, url };
    } catch {
      await Bun.sleep(100);
    }
  }
  proc.kill();
  throw new Error('server did not answer within 30 s');
}

describe('start-up configuration errors', () => {
  test.each([
    [{ F1_PORT: 'eighty' }, 'F1_PORT'],
    [{ F1_DB_POOL_SIZE: '-1' }, 'F1_DB_POOL_SIZE'],
    [{ F1_ENVIRONMENT: 'production' }, 'F1_JWT_SECRET_KEY'],
    [
      { F1_ENVIRONMENT: 'production', F1_JWT_SECRET_KEY: 'your_secret_key_here' },
      'F1_JWT_SECRET_KEY',
    ],
  ])('%j stops start-up with one line naming %s', async (env, variable) => {
    const { code, stderr } = await runToExit(env);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith(`Invalid configuration: ${variable}`);
  });
});

describe('bun run start', () => {
  test('on the embedded database: migrates, serves /health 200, and reuses the data on restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'f1-data-'));
    try {
      const first = await start({ F1_DATA_DIR: dataDir });
      const res = await fetch(`${first.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        database: { backend: 'pglite' },
        data: { seasons: 0, lastRace: null },
      });
      first.proc.kill('SIGTERM');
      expect(await first.proc.exited).toBe(0);
      const log = await new Response(first.proc.stdout).text();
      expect(log).toMatch(/applied \d+ migration\(s\)/);
      // A fresh database says so once at start-up, naming the command that loads data.
      const warnings = await new Response(first.proc.stderr).text();
      expect(warnings.split('\n').filter((l) => l.includes('holds no seasons'))).toEqual([
        expect.stringContaining('bun run ingest bootstrap'),
      ]);

      // Second start on the same directory: nothing left to migrate.
      const second = await start({ F1_DATA_DIR: dataDir });
      expect((await fetch(`${second.url}/health/database`)).status).toBe(200);
      second.proc.kill('SIGTERM');
      await second.proc.exited;
      expect(await new Response(second.proc.stdout).text()).not.toContain('applied');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  testWith(
    [needs.postgres],
    'on PostgreSQL via F1_DATABASE_URL: migrates an empty database and serves',
    async () => {
      const database = await freshDatabase('postgres');
      try {
        // Start from an empty schema so the server's own migration run is what builds it.
        await database.db.schema.dropSchema('public').cascade().execute();
        await database.db.schema.createSchema('public').execute();
        const server = await start({ F1_DATABASE_URL: database.url ?? '' });
        const res = await fetch(`${server.url}/health/database`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok', backend: 'postgres' });
        server.proc.kill('SIGTERM');
        await server.proc.exited;
        expect(await new Response(server.proc.stdout).text()).toMatch(/applied \d+ migration\(s\)/);
      } finally {
        await database.close();
      }
    },
    60_000,
  );
});
