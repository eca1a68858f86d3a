import { expect, test } from 'bun:test';
import { freshDatabase } from '@f1/testkit/postgres';
import { sql } from 'kysely';
import { MigrationError, migrateToLatest } from './migrator.ts';

test('a failing migration raises MigrationError naming it, and rolls back', async () => {
  const database = await freshDatabase('pglite');
  try {
    // Make the first migration's table already exist on an empty schema: its CREATE TABLE must fail.
    await sql`DROP SCHEMA public CASCADE`.execute(database.db);
    await sql`CREATE SCHEMA public`.execute(database.db);
    await sql`CREATE TABLE circuits (id int)`.execute(database.db);
    let caught: unknown;
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MigrationError);
    expect((caught as Error).message).toMatch(
      /^migration 2026_11_26_0001_core_entities failed: .*circuits/,
    );
    // Nothing of the failed migration is left behind.
    const teams = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'teams'`.execute(database.db);
    expect(teams.rows[0]?.n).toBe(0);
  } finally {
    await database.close();
  }
});
