/**
 * `import-csv`: loads one or more Ergast CSV export folders (./source.ts) into the database in ONE
 * transaction (all or nothing) through the one writer, with bulk statements. Rerunning it writes
 * nothing; a race whose rows changed in the export is made equal to it (rows the export no longer has
 * are deleted).
 *
 * Standings are not refreshed here: the caller hands the report to the data-change pipeline (`context.changes`).
 */
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { IngestionReport } from '../../ingestion/report.ts';
import { runIngestion } from '../../ingestion/run-ingestion.ts';
import { ErgastCsvSource } from './source.ts';

/** Imports the export folders (in order; later ones override earlier ones) inside one transaction. */
export async function importCsv(
  db: Kysely<DB>,
  options: { dirs: string[]; seasons?: number[] },
): Promise<IngestionReport> {
  return runIngestion({ db }, new ErgastCsvSource(options.dirs), {
    scope: { kind: 'all', seasons: options.seasons },
  });
}
