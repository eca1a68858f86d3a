import { type Kysely, sql } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * The championship seasons with their Wikipedia page (the Ergast dialect's `SeasonTable.Seasons[].url`).
 * A season is listed by the facade when it has races; this table only carries what races do not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE seasons (
      year smallint PRIMARY KEY CHECK (year BETWEEN 1950 AND 2100),
      url text CHECK (url <> '')
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE seasons`.execute(db);
}
