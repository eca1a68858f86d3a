import { type Kysely, sql } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * Lap timings and pit stops (the Ergast dialect's `laps` and `pitstops`), hash-partitioned by race
 * like `race_results` (a season of laps is ~25,000 rows), and the status vocabulary with the source's
 * numeric ids (`status/{id}` filters and `StatusTable.statusId` speak ids; results keep the text).
 */
const PARTITIONS = 8;

async function partitions(db: Kysely<unknown>, table: string): Promise<void> {
  for (let i = 0; i < PARTITIONS; i++) {
    await sql`
      CREATE TABLE ${sql.id(`${table}_p${i}`)} PARTITION OF ${sql.id(table)}
      FOR VALUES WITH (MODULUS ${sql.lit(PARTITIONS)}, REMAINDER ${sql.lit(i)})
    `.execute(db);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE lap_times (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      driver_id integer NOT NULL REFERENCES drivers (id),
      lap smallint NOT NULL CHECK (lap >= 1),
      position smallint CHECK (position >= 1),
      time_millis integer CHECK (time_millis > 0),
      PRIMARY KEY (race_id, driver_id, lap)
    ) PARTITION BY HASH (race_id)`,
    `CREATE INDEX lap_times_race_lap_idx ON lap_times (race_id, lap, position)`,
  ]);
  await partitions(db, 'lap_times');
  await runStatements(db, [
    `CREATE TABLE pit_stops (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      driver_id integer NOT NULL REFERENCES drivers (id),
      stop smallint NOT NULL CHECK (stop >= 1),
      lap smallint NOT NULL CHECK (lap >= 0),
      -- Local time of day at the circuit, as the source gives it ('17:05:23').
      time_of_day text NOT NULL CHECK (time_of_day ~ '^[0-9]{1,2}:[0-9]{2}:[0-9]{2}$'),
      duration_millis integer CHECK (duration_millis > 0),
      PRIMARY KEY (race_id, driver_id, stop)
    ) PARTITION BY HASH (race_id)`,
  ]);
  await partitions(db, 'pit_stops');
  await runStatements(db, [
    `CREATE TABLE statuses (
      id integer PRIMARY KEY CHECK (id >= 1),
      status text NOT NULL UNIQUE CHECK (status <> '')
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE statuses, pit_stops, lap_times`.execute(db);
}
