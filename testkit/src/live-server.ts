/**
 * A real server process for external-client tests: the kit's server process (processes.ts) over a
 * fresh database (a PostgreSQL copy when F1_TEST_DATABASE_URL is set, else an embedded PGlite data
 * directory), seeded before the server opens it and removed when it stops. Clients then talk to it
 * over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openPglite } from '@f1/db/connection/connect';
import { migrateToLatest } from '@f1/db/migrator';
import { refreshStandings } from '@f1/domain/standings/refresh';
import { seedMiniSeason } from './fixtures/mini-season.ts';
import { freshDatabase, testDatabaseUrl } from './postgres.ts';
import { cleanEnv, run, type ServerProcess, serverEnv, startProcess } from './processes.ts';

export interface LiveServer extends ServerProcess {
  backend: 'postgres' | 'pglite';
}

export interface LiveServerOptions {
  /** Fills the database before the server starts (it is already migrated). */
  seed?: (database: Database) => Promise<void>;
  /** Runs after seeding, before the server starts, with the server's database settings (for CLIs). */
  prepare?: (env: Record<string, string>) => Promise<void>;
  env?: Record<string, string>;
  /** The embedded database even when PostgreSQL is available (e.g. to measure PGlite). */
  backend?: 'pglite';
}

/**
 * The hand-made 2021 mini season (fixtures/mini-season.ts) with its standings refreshed. After round 2:
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
  const { code, stdout, stderr } = await run(
    ['bun', 'run', 'admin', 'create-api-key', name, '--role', role],
    {
      env: { F1_ENVIRONMENT: 'test', F1_LOG_LEVEL: 'silent', ...env },
      isolated: true,
      timeoutMs: 60_000,
    },
  );
  const key = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !key) throw new Error(`admin create-api-key failed (${code}): ${stderr}`);
  return key;
}

interface PreparedDatabase {
  backend: 'postgres' | 'pglite';
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

async function prepareDatabase(options: LiveServerOptions): Promise<PreparedDatabase> {
  if (testDatabaseUrl() && options.backend !== 'pglite') {
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

/** Starts the server; resolves once it listens, within 60 s. `stop()` also removes its database. */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const prepared = await prepareDatabase(options);
  await options.prepare?.(prepared.env);
  const server = await startProcess(['bun', 'server/src/main.ts'], {
    env: cleanEnv(serverEnv({ ...prepared.env, ...options.env })),
    killAfterMs: 10_000,
    cleanup: prepared.cleanup,
  });
  return { ...server, backend: prepared.backend };
}
