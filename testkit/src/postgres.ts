/**
 * Fresh, migrated databases for tests, on both back ends (describeEachBackend, in backends.ts, declares a
 * suite once per back end).
 *
 * - PostgreSQL (when `F1_TEST_DATABASE_URL` is set): the migrations run once per test process into a
 *   template database named after a hash of the migration files; every test database is then a
 *   `CREATE DATABASE … TEMPLATE` copy (tens of milliseconds) and is dropped when the test closes it.
 * - PGlite (always): the migrations run once per process into an in-memory instance whose data directory
 *   is dumped; every test database is a clone loaded from that dump.
 *
 * Test databases are named `f1t_<pid>_<n>`, so a crashed run's leftovers are recognisable and are
 * dropped by the next run once their process is gone. Templates of older migration sets are kept: another
 * checkout on the same server may still be copying from one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  connectPostgres,
  type Database,
  PGLITE_PARSERS,
  wrapPglite,
} from '@f1/db/connection/connect';
import { MIGRATIONS_DIR, migrateToLatest } from '@f1/db/migrator';
import postgres from 'postgres';

export type Backend = 'postgres' | 'pglite';

/** The PostgreSQL server tests use, or null when only PGlite is available. */
export function testDatabaseUrl(): string | null {
  const url = process.env.F1_TEST_DATABASE_URL?.trim();
  return url ? url : null;
}

/** Back ends tests run on: PGlite always, PostgreSQL when `F1_TEST_DATABASE_URL` is set. */
export function testBackends(): Backend[] {
  return testDatabaseUrl() ? ['postgres', 'pglite'] : ['pglite'];
}

function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  hash.update(readFileSync(path.join(MIGRATIONS_DIR, '..', 'migration-sql.ts')));
  return hash.digest('hex').slice(0, 12);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let templateReady: Promise<string> | undefined;
let counter = 0;

/** Creates (once per process, under an advisory lock) the migrated template database. */
async function postgresTemplate(adminUrl: string): Promise<string> {
  const template = `f1t_template_${migrationsFingerprint()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`SELECT pg_advisory_lock(hashtext('f1-test-template'))`;
    try {
      const stale = await admin<{ datname: string }[]>`
        SELECT datname FROM pg_database WHERE datname LIKE 'f1t\\_%'`;
      for (const { datname } of stale) {
        const pid = /^f1t_(\d+)_\d+$/.exec(datname)?.[1];
        if (pid && !processAlive(Number(pid))) {
          await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
      }
      const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${template}`;
      if (!exists) {
        const building = `${template}_building`;
        await admin.unsafe(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await admin.unsafe(`CREATE DATABASE "${building}"`);
        const database = connectPostgres(withDatabase(adminUrl, building), 2);
        try {
          await migrateToLatest(database.db);
        } finally {
          await database.close();
        }
        // Renamed only once complete, so a crash mid-migration never leaves a half-built template.
        await admin.unsafe(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      }
    } finally {
      await admin`SELECT pg_advisory_unlock(hashtext('f1-test-template'))`;
    }
  } finally {
    await admin.end();
  }
  return template;
}

async function freshPostgres(): Promise<TestDatabase> {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error('F1_TEST_DATABASE_URL is not set');
  templateReady ??= postgresTemplate(adminUrl);
  const template = await templateReady;
  const name = `f1t_${process.pid}_${++counter}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const database = connectPostgres(url, 5);
  return {
    ...database,
    backend: 'postgres',
    url,
    async close() {
      await database.close();
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

let pgliteDump: Promise<Blob> | undefined;

async function buildPgliteDump(): Promise<Blob> {
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const database = wrapPglite(pglite);
  await migrateToLatest(database.db);
  const dump = await pglite.dumpDataDir('none');
  await database.close();
  return dump;
}

async function freshPglite(): Promise<TestDatabase> {
  pgliteDump ??= buildPgliteDump();
  const pglite = await PGlite.create({ loadDataDir: await pgliteDump, parsers: PGLITE_PARSERS });
  return { ...wrapPglite(pglite), backend: 'pglite', url: null };
}

export interface TestDatabase extends Database {
  backend: Backend;
  /** Connection URL for PostgreSQL test databases (for a second process); null for PGlite. */
  url: string | null;
}

/** A new, migrated, empty database on the given back end. Close it when the test is done. */
export function freshDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'postgres' ? freshPostgres() : freshPglite();
}

/**
 * The back end for suites that run once: PostgreSQL when configured (closest to production), else
 * PGlite.
 */
export function preferredBackend(): Backend {
  return testDatabaseUrl() ? 'postgres' : 'pglite';
}
