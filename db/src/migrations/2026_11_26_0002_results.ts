import { type Kysely, sql } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * Race, sprint and qualifying results.
 *
 * `race_results` is partitioned BY HASH (race_id) into 8 partitions. Hash, not range: race ids are
 * surrogate keys with no calendar meaning, every hot query filters on one race_id (pruned to one
 * partition either way), and hash partitions never need a new partition created when a season starts.
 *
 * A result row is keyed by (race, driver, entry): `entry` is 1 except in the 1950s–60s, when one driver
 * could drive two cars in the same race (shared drives), which the source lists as two rows.
 */
const RESULT_PARTITIONS = 8;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE race_results (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      driver_id integer NOT NULL REFERENCES drivers (id),
      entry smallint NOT NULL DEFAULT 1 CHECK (entry >= 1),
      team_id integer REFERENCES teams (id),
      number smallint CHECK (number >= 0),
      grid smallint CHECK (grid >= 0),
      -- position is the classified position (NULL when not classified); position_order always orders the field.
      position smallint CHECK (position >= 1),
      position_order smallint NOT NULL CHECK (position_order >= 1),
      position_text text NOT NULL CHECK (position_text <> ''),
      points numeric(6, 2) NOT NULL DEFAULT 0 CHECK (points >= 0),
      laps smallint CHECK (laps >= 0),
      time_millis integer CHECK (time_millis > 0),
      time_text text,
      fastest_lap smallint CHECK (fastest_lap >= 0),
      fastest_lap_rank smallint CHECK (fastest_lap_rank >= 0),
      fastest_lap_millis integer CHECK (fastest_lap_millis > 0),
      fastest_lap_speed_kph numeric(7, 3) CHECK (fastest_lap_speed_kph > 0),
      -- Free text: the source's status vocabulary changes over time ('+1 Lap' became 'Lapped').
      status text,
      PRIMARY KEY (race_id, driver_id, entry)
    ) PARTITION BY HASH (race_id)`,
    `CREATE INDEX race_results_driver_idx ON race_results (driver_id, race_id)`,
    `CREATE INDEX race_results_team_idx ON race_results (team_id, race_id)`,
  ]);
  for (let i = 0; i < RESULT_PARTITIONS; i++) {
    await sql`
      CREATE TABLE ${sql.id(`race_results_p${i}`)} PARTITION OF race_results
      FOR VALUES WITH (MODULUS ${sql.lit(RESULT_PARTITIONS)}, REMAINDER ${sql.lit(i)})
    `.execute(db);
  }

  await runStatements(db, [
    `CREATE TABLE sprint_results (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      driver_id integer NOT NULL REFERENCES drivers (id),
      team_id integer REFERENCES teams (id),
      number smallint CHECK (number >= 0),
      grid smallint CHECK (grid >= 0),
      position smallint CHECK (position >= 1),
      position_order smallint NOT NULL CHECK (position_order >= 1),
      position_text text NOT NULL CHECK (position_text <> ''),
      points numeric(6, 2) NOT NULL DEFAULT 0 CHECK (points >= 0),
      laps smallint CHECK (laps >= 0),
      time_millis integer CHECK (time_millis > 0),
      time_text text,
      fastest_lap smallint CHECK (fastest_lap >= 0),
      fastest_lap_millis integer CHECK (fastest_lap_millis > 0),
      status text,
      PRIMARY KEY (race_id, driver_id)
    )`,
    `CREATE INDEX sprint_results_driver_idx ON sprint_results (driver_id, race_id)`,
    `CREATE INDEX sprint_results_team_idx ON sprint_results (team_id, race_id)`,
    `CREATE TABLE qualifying_results (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      driver_id integer NOT NULL REFERENCES drivers (id),
      team_id integer REFERENCES teams (id),
      number smallint CHECK (number >= 0),
      position smallint NOT NULL CHECK (position >= 1),
      q1_millis integer CHECK (q1_millis > 0),
      q2_millis integer CHECK (q2_millis > 0),
      q3_millis integer CHECK (q3_millis > 0),
      PRIMARY KEY (race_id, driver_id)
    )`,
    `CREATE INDEX qualifying_results_driver_idx ON qualifying_results (driver_id, race_id)`,
    `CREATE TABLE weather_data (
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      source text NOT NULL CHECK (source <> ''),
      observed_at timestamptz NOT NULL,
      air_temperature_c numeric(4, 1) CHECK (air_temperature_c BETWEEN -50 AND 70),
      precipitation_mm numeric(6, 2) CHECK (precipitation_mm >= 0),
      relative_humidity_pct numeric(5, 2) CHECK (relative_humidity_pct BETWEEN 0 AND 100),
      wind_speed_kph numeric(5, 1) CHECK (wind_speed_kph >= 0),
      wind_direction_deg smallint CHECK (wind_direction_deg BETWEEN 0 AND 360),
      fetched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (race_id, source)
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE weather_data, qualifying_results, sprint_results, race_results`.execute(db);
}
