/**
 * A real server process for external-client tests: `bun server/src/main.ts` on a free port, over a
 * fresh database (a PostgreSQL copy when F1_TEST_DATABASE_URL is set, else an embedded PGlite data
 * directory), seeded before the server opens it. Clients then talk to it over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openPglite } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { seedMiniSeason } from '@f1/db/test-fixtures';
import { freshDatabase, testDatabaseUrl } from '@f1/db/testing';
import { refreshStandings } from '@f1/domain/standings/refresh';

export const ROOT = path.resolve(import.meta.dir, '../..');
const MAIN = path.join(ROOT, 'server/src/main.ts');

export interface LiveServer {
  url: string;
  backend: 'postgres' | 'pglite';
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface LiveServerOptions {
  /** Fills the database before the server starts (it is already migrated). */
  seed?: (database: Database) => Promise<void>;
  /** Runs after seeding, before the server starts, with the server's database settings (for CLIs). */
  prepare?: (env: Record<string, string>) => Promise<void>;
  env?: Record<string, string>;
}

/**
 * The hand-made 2021 mini season (db/src/test-fixtures.ts) with its standings refreshed. After round 2:
 * driver_b 32.5 (countback), driver_a 32.5, driver_c 32, driver_d 19.
 */
export async function seedMiniSeasonWithStandings(database: Database): Promise<void> {
  await seedMiniSeason(database.db);
  await refreshStandings(database.db);
}

/**
 * Creates an API key with the admin CLI, as an operator would (`bun run admin create-api-key`), on
 * the database the server will use; returns the key (the CLI prints it alone on its last line).
 */
export async function createApiKeyWithCli(
  env: Record<string, string>,
  name: string,
  role: 'user' | 'ml_service' | 'admin',
): Promise<string> {
  const proc = Bun.spawn(['bun', 'run', 'admin', 'create-api-key', name, '--role', role], {
    cwd: ROOT,
    env: cleanEnv({ F1_ENVIRONMENT: 'test', F1_LOG_LEVEL: 'silent', ...env }),
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 60_000,
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  const key = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !key) throw new Error(`admin create-api-key failed (${code}): ${stderr}`);
  return key;
}

/** The process env without the developer's own F1_* settings. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('F1_') && v !== undefined) base[k] = v;
  return { ...base, ...env };
}

interface PreparedDatabase {
  backend: 'postgres' | 'pglite';
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

async function prepareDatabase(options: LiveServerOptions): Promise<PreparedDatabase> {
  if (testDatabaseUrl()) {
    const database = await freshDatabase('postgres');
    await options.seed?.(database);
    return {
      backend: 'postgres',
      env: { F1_DATABASE_URL: database.url ?? '' },
      cleanup: () => database.close(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'f1-live-'));
  const database = await openPglite(path.join(dataDir, 'pglite'));
  await migrateToLatest(database.db);
  await options.seed?.(database);
  await database.close();
  return {
    backend: 'pglite',
    env: { F1_DATA_DIR: dataDir },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Starts the server; resolves once it listens (its log names the port), within 60 s. */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const prepared = await prepareDatabase(options);
  await options.prepare?.(prepared.env);
  const proc = Bun.spawn(['bun', MAIN], {
    cwd: ROOT,
    env: cleanEnv({
      F1_HOST: '127.0.0.1',
      F1_PORT: '0',
      F1_LOG_LEVEL: 'info',
      F1_ENVIRONMENT: 'test',
      F1_JWT_SECRET_KEY: 'live-server-test-secret-'.padEnd(48, 'x'),
      ...prepared.env,
      ...options.env,
    }),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk);
  };
  void drain(proc.stdout);
  void drain(proc.stderr);

  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
    }
    await prepared.cleanup();
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
    if (port) {
      return {
        url: `http://127.0.0.1:${port}`,
        backend: prepared.backend,
        output: () => output,
        stop,
      };
    }
    if (proc.exitCode !== null) break;
    await Bun.sleep(50);
  }
  await stop();
  throw new Error(`the server did not start:\n${output}`);
}
