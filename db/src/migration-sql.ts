import { type Kysely, sql } from 'kysely';

/**
 * Runs DDL statements one at a time. The PostgreSQL driver sends every query as a prepared statement,
 * and a prepared statement holds exactly one command, so a migration cannot send a multi-statement string.
 */
export async function runStatements(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
