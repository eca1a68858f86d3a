/**
 * Test helpers for anything that needs real F1 data in a test database.
 *
 * The data is the shared Ergast CSV export (never copied into the repository): `F1_TEST_DATA_DIR`, or
 * `../shared/data` next to the project root. Tests that need it call `sharedDataDir()` (or
 * `loadCsvSeasons`) and get an error that says what is missing and how to point at it.
 *
 * @example
 * const database = await freshDatabase('pglite');   // postgres.ts
 * await loadCsvSeasons(database.db, { seasons: [2023] });   // ~20 ms of SQL, standings refreshed
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { clearDerivedPending, derivedPending } from '@f1/db/ingestion/derived-pending';
import type { DB } from '@f1/db/schema';
import { refreshStandings } from '@f1/domain/standings/refresh';
import type { IngestionReport } from '@f1/jobs/ingestion/report';
import { importCsv } from '@f1/jobs/sources/csv-export/import';
import type { Kysely } from 'kysely';
import { miniExportDir } from './fixtures/mini-export.ts';

const DEFAULT_DATA_DIR = path.resolve(import.meta.dir, '../../../shared/data');

/**
 * The project's own hand-made export (two 2021 rounds with a sprint and half points, a 1955 race with a
 * shared drive), for tests that must run without the shared data. Its standings files are hand-computed.
 */
export const MINI_EXPORT_DIR = miniExportDir();

export class SharedDataMissingError extends Error {
  override readonly name = 'SharedDataMissingError';
}

/** The shared data folder, or null when it is absent (for tests that skip with a printed reason). */
export function findSharedDataDir(): string | null {
  const dir = process.env.F1_TEST_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return existsSync(path.join(dir, 'ergast-csv', 'races.csv')) ? path.resolve(dir) : null;
}

/** Why tests that need the shared data skip (for `skipSuite`). */
export const SHARED_DATA_MISSING =
  'shared data not found: ../shared/data or F1_TEST_DATA_DIR (with ergast-csv/)';

/** The shared data folder; throws a clear error when it is absent. */
export function sharedDataDir(): string {
  const dir = findSharedDataDir();
  if (!dir) {
    const tried = process.env.F1_TEST_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
    throw new SharedDataMissingError(
      `shared F1 test data not found: ${tried}/ergast-csv/races.csv is missing. ` +
        'Set F1_TEST_DATA_DIR to the folder holding ergast-csv/ (and ergast-csv-2025/, ergast-json/).',
    );
  }
  return dir;
}

/**
 * Imports seasons of the real Ergast export (all of 1950–2024, plus 2025 to round 18, when `seasons` is
 * omitted) into `db` and recomputes every season's standings. Only the standings: the import's
 * "derived data pending" marking is cleared, so a writer a test runs afterwards follows up its own
 * changes rather than recovering the whole history (ratings and accuracy stay unset, as a fixture's).
 */
export async function loadCsvSeasons(
  db: Kysely<DB>,
  options: { seasons?: number[] } = {},
): Promise<IngestionReport> {
  const dir = sharedDataDir();
  const dirs = [path.join(dir, 'ergast-csv')];
  const extension = path.join(dir, 'ergast-csv-2025');
  if (existsSync(path.join(extension, 'races.csv'))) dirs.push(extension);
  const result = await importCsv(db, { dirs, seasons: options.seasons });
  await refreshStandings(db);
  const pending = await derivedPending(db);
  if (pending !== null) await clearDerivedPending(db, pending);
  return result;
}
