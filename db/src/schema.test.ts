import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { seedMiniSeason } from '@f1/testkit/fixtures/mini-season';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

const CHECK_VIOLATION = '23514';
const FOREIGN_KEY_VIOLATION = '23503';
const UNIQUE_VIOLATION = '23505';

async function errorCode(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : `not a database error: ${String(error)}`;
  }
}

type Row = Record<string, unknown>;

/** Inserts `row` into `table` inside a transaction that is always rolled back. */
async function tryInsert(db: Kysely<DB>, table: string, row: Row): Promise<string | null> {
  return errorCode(() =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto(table as 'drivers')
        .values(row as never)
        .execute();
      throw Object.assign(new Error('rollback'), { code: 'ok' });
    }),
  ).then((code) => (code === 'ok' ? null : code));
}

describeEachBackend('schema constraints', (database) => {
  let ids: Awaited<ReturnType<typeof seedMiniSeason>>;
  let setId: number;
  const valid: Record<string, () => Row> = {};

  test('seed a hand-made season', async () => {
    const db = database().db;
    ids = await seedMiniSeason(db);
    const set = await db
      .insertInto('prediction_sets')
      .values({
        race_id: ids.races.r1,
        model: 'm',
        version: '1',
        submitted_by: 'system',
        snapshot_hash: 'h',
        entry_count: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    setId = set.id;
    Object.assign(valid, {
      drivers: () => ({
        driver_ref: 'new_driver',
        given_name: 'New',
        family_name: 'Driver',
        code: 'NEW',
        permanent_number: 7,
      }),
      teams: () => ({ team_ref: 'new_team', name: 'New Team' }),
      circuits: () => ({
        circuit_ref: 'new_circuit',
        name: 'New Circuit',
        latitude: 1,
        longitude: 1,
      }),
      races: () => ({
        season: 2022,
        round: 1,
        circuit_id: ids.circuitId,
        name: 'GP',
        date: '2022-05-01',
      }),
      race_sessions: () => ({ race_id: ids.races.r1, kind: 'fp1', date: '2021-04-02' }),
      race_results: () => ({
        race_id: ids.races.r1,
        driver_id: ids.drivers.a,
        entry: 2,
        position_order: 9,
        position_text: '9',
        points: 0,
        grid: 3,
        laps: 5,
        position: 9,
      }),
      sprint_results: () => ({
        race_id: ids.races.r1,
        driver_id: ids.drivers.a,
        position_order: 1,
        position_text: '1',
        points: 8,
        position: 1,
      }),
      qualifying_results: () => ({
        race_id: ids.races.r1,
        driver_id: ids.drivers.a,
        position: 1,
        q1_millis: 90_000,
      }),
      weather_data: () => ({
        race_id: ids.races.r1,
        source: 'test',
        observed_at: new Date(),
        air_temperature_c: 20,
        precipitation_mm: 0,
        relative_humidity_pct: 50,
        wind_speed_kph: 10,
        wind_direction_deg: 180,
      }),
      predictions: () => ({
        race_id: ids.races.r1,
        set_id: setId,
        driver_id: ids.drivers.a,
        predicted_position: 1,
        win_probability: 0.5,
        podium_probability: 0.9,
        points_probability: 1,
      }),
      prediction_accuracy: () => ({
        race_id: ids.races.r1,
        model: 'm',
        version: '1',
        entries: 4,
        winner_hit: true,
        podium_overlap: 3,
        top10_overlap: 4,
        mean_abs_position_error: 0,
        spearman_rho: 1,
        brier_win: 0,
        brier_podium: 0,
        log_loss_win: 0,
        results_hash: 'x',
      }),
      users: () => ({ email: 'fan@example.com', password_hash: 'x', role: 'user' }),
      api_keys: () => ({ name: 'ml', prefix: 'f1k_abc', key_hash: 'h1', role: 'ml_service' }),
      audit_log: () => ({ action: 'auth.login', outcome: 'success' }),
      driver_ratings: () => ({
        driver_id: ids.drivers.a,
        race_id: ids.races.r1,
        rating_before: 1500,
        rating_after: 1510,
      }),
      ingestion_runs: () => ({ kind: 'season', season: 2024, requested_by: 'cli' }),
      ingested_rounds: () => ({
        season: 2024,
        round: 1,
        dataset: 'results',
        payload_hash: 'x',
        row_count: 20,
      }),
    });
  });

  test('every valid base row is accepted', async () => {
    for (const [table, row] of Object.entries(valid)) {
      expect({ table, code: await tryInsert(database().db, table, row()) }).toEqual({
        table,
        code: null,
      });
    }
  });

  const badRows: [table: string, override: Row][] = [
    ['drivers', { code: 'ver' }],
    ['drivers', { driver_ref: 'has space' }],
    ['drivers', { permanent_number: -1 }],
    ['drivers', { family_name: '' }],
    ['drivers', { elo_rating: 0 }],
    ['teams', { team_ref: 'Red Bull!' }],
    ['circuits', { latitude: 91 }],
    ['circuits', { longitude: -181 }],
    ['races', { season: 1949 }],
    ['races', { season: 2101 }],
    ['races', { round: 0 }],
    ['races', { starts_at: new Date('2022-06-01T12:00:00Z') }],
    ['race_sessions', { kind: 'fp4' }],
    ['race_results', { position: 0 }],
    ['race_results', { position_order: 0 }],
    ['race_results', { points: -1 }],
    ['race_results', { grid: -1 }],
    ['race_results', { laps: -3 }],
    ['race_results', { entry: 0 }],
    ['race_results', { position_text: '' }],
    ['race_results', { time_millis: 0 }],
    ['sprint_results', { points: -0.5 }],
    ['sprint_results', { position: 0 }],
    ['qualifying_results', { position: 0 }],
    ['qualifying_results', { q1_millis: 0 }],
    ['weather_data', { relative_humidity_pct: 101 }],
    ['weather_data', { precipitation_mm: -1 }],
    ['weather_data', { wind_direction_deg: 361 }],
    ['predictions', { win_probability: 1.01 }],
    ['predictions', { win_probability: -0.01 }],
    ['predictions', { podium_probability: 1.5 }],
    ['predictions', { points_probability: -1 }],
    ['predictions', { win_probability: 0.95, podium_probability: 0.9 }],
    ['predictions', { predicted_position: 0 }],
    ['prediction_accuracy', { podium_overlap: 4 }],
    ['prediction_accuracy', { top10_overlap: 11 }],
    ['prediction_accuracy', { spearman_rho: 1.5 }],
    ['prediction_accuracy', { mean_abs_position_error: -1 }],
    ['prediction_accuracy', { log_loss_win: -0.1 }],
    ['users', { role: 'superuser' }],
    ['users', { email: 'not-an-email' }],
    ['api_keys', { role: 'root' }],
    ['audit_log', { outcome: 'maybe' }],
    ['driver_ratings', { rating_after: 0 }],
    ['ingestion_runs', { status: 'paused' }],
    ['ingestion_runs', { kind: 'everything' }],
    ['ingested_rounds', { dataset: 'laps' }],
    ['ingested_rounds', { row_count: -1 }],
  ];

  test.each(badRows)('%s rejects %j with a check violation', async (table, override) => {
    const base = valid[table];
    if (!base) throw new Error(`no valid row for ${table}`);
    expect(await tryInsert(database().db, table, { ...base(), ...override })).toBe(CHECK_VIOLATION);
  });

  test('foreign keys and unique keys hold', async () => {
    const db = database().db;
    const race = valid.race_results;
    const driver = valid.drivers;
    if (!race || !driver) throw new Error('seed missing');
    expect(await tryInsert(db, 'race_results', { ...race(), driver_id: 999_999 })).toBe(
      FOREIGN_KEY_VIOLATION,
    );
    expect(await tryInsert(db, 'drivers', { ...driver(), driver_ref: 'driver_a' })).toBe(
      UNIQUE_VIOLATION,
    );
    expect(await tryInsert(db, 'races', { ...valid.races?.(), season: 2021, round: 1 })).toBe(
      UNIQUE_VIOLATION,
    );
    expect(await tryInsert(db, 'users', { ...valid.users?.(), email: 'x@y.z' })).toBeNull();
    await db.insertInto('users').values({ email: 'Fan@Example.com', password_hash: 'x' }).execute();
    // Emails are unique case-insensitively.
    expect(await tryInsert(db, 'users', { ...valid.users?.(), email: 'fan@example.COM' })).toBe(
      UNIQUE_VIOLATION,
    );
  });

  test('race_results, predictions, lap_times and pit_stops are hash-partitioned and rows land in the partitions', async () => {
    const db = database().db;
    const partitions = await sql<{ parent: string; strategy: string; count: number }>`
      SELECT c.relname AS parent, p.partstrat AS strategy, count(i.inhrelid)::int AS count
      FROM pg_partitioned_table p
      JOIN pg_class c ON c.oid = p.partrelid
      JOIN pg_inherits i ON i.inhparent = c.oid
      GROUP BY 1, 2 ORDER BY 1`.execute(db);
    expect(partitions.rows).toEqual([
      { parent: 'lap_times', strategy: 'h', count: 8 },
      { parent: 'pit_stops', strategy: 'h', count: 8 },
      { parent: 'predictions', strategy: 'h', count: 8 },
      { parent: 'race_results', strategy: 'h', count: 8 },
    ]);

    const placed = await sql<{ partition: string; rows: number }>`
      SELECT tableoid::regclass::text AS partition, count(*)::int AS rows FROM race_results GROUP BY 1`.execute(
      db,
    );
    expect(placed.rows.every((r) => /^race_results_p[0-7]$/.test(r.partition))).toBe(true);
    expect(placed.rows.reduce((sum, r) => sum + r.rows, 0)).toBe(8);
    const parentOnly = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ONLY race_results`.execute(db);
    expect(parentOnly.rows[0]?.n).toBe(0);

    // A query for one race touches one partition.
    const plan = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT * FROM race_results WHERE race_id = ${ids.races.r1}`.execute(db);
    const scanned =
      plan.rows
        .map((r) => r['QUERY PLAN'])
        .join('\n')
        .match(/race_results_p\d/g) ?? [];
    expect(new Set(scanned).size).toBe(1);
  });
});
