import type { Kysely } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * `bun run ingest bootstrap`: which seasons a bootstrap has loaded whole (a rerun skips them) and how
 * many source requests each attempt cost, when (a rerun starts its hourly budget with the requests of
 * the last hour, so a stop-and-rerun cannot go over the source's limit). `bootstrap` becomes a kind of
 * `ingestion_runs` too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE bootstrap_seasons (
      season smallint PRIMARY KEY CHECK (season BETWEEN 1950 AND 2100),
      requests integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
      attempted_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`,
    'ALTER TABLE ingestion_runs DROP CONSTRAINT ingestion_runs_kind_check',
    `ALTER TABLE ingestion_runs ADD CONSTRAINT ingestion_runs_kind_check CHECK (kind IN ('season', 'race', 'qualifying', 'schedule', 'validate', 'import-csv', 'weather', 'bootstrap'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DELETE FROM ingestion_runs WHERE kind = 'bootstrap'`,
    'ALTER TABLE ingestion_runs DROP CONSTRAINT ingestion_runs_kind_check',
    `ALTER TABLE ingestion_runs ADD CONSTRAINT ingestion_runs_kind_check CHECK (kind IN ('season', 'race', 'qualifying', 'schedule', 'validate', 'import-csv', 'weather'))`,
    'DROP TABLE bootstrap_seasons',
  ]);
}
