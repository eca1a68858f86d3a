import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { sql } from 'kysely';
import { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from './migrator.ts';

const userTables = sql<{ name: string }>`
  SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm', 'v')
    AND c.relname NOT LIKE 'kysely_migration%'
  ORDER BY 1`;

describeEachBackend('migrations', (database) => {
  test('a fresh test database is fully migrated', async () => {
    const status = await migrationStatus(database().db);
    expect(status.length).toBeGreaterThanOrEqual(6);
    expect(status.every((m) => m.executedAt instanceof Date)).toBe(true);
    const { rows } = await userTables.execute(database().db);
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'drivers',
        'teams',
        'circuits',
        'races',
        'race_sessions',
        'race_results',
        'sprint_results',
        'qualifying_results',
        'weather_data',
        'prediction_sets',
        'predictions',
        'prediction_accuracy',
        'users',
        'api_keys',
        'audit_log',
        'driver_ratings',
        'team_ratings',
        'ingestion_runs',
        'ingested_rounds',
        'driver_standings',
        'constructor_standings',
      ]),
    );
  });

  test('down one step reverts only the latest migration', async () => {
    const before = await migrationStatus(database().db);
    const reverted = await migrateDown(database().db);
    expect(reverted).toEqual([before.at(-1)?.name ?? '']);
    const after = await migrationStatus(database().db);
    expect(after.filter((m) => m.executedAt)).toHaveLength(before.length - 1);
    expect(await migrateToLatest(database().db)).toEqual(reverted);
  });

  test('down to empty leaves no tables, and up again rebuilds everything', async () => {
    const all = await migrationStatus(database().db);
    const reverted = await migrateToEmpty(database().db);
    expect(reverted).toHaveLength(all.length);
    expect((await userTables.execute(database().db)).rows).toEqual([]);

    const applied = await migrateToLatest(database().db);
    expect(applied).toEqual(all.map((m) => m.name));
    expect((await userTables.execute(database().db)).rows.length).toBeGreaterThanOrEqual(21);
    // And a second run is a no-op.
    expect(await migrateToLatest(database().db)).toEqual([]);
  });
});
