/**
 * What the standings refresh reads and writes: every race and sprint result of some seasons with the
 * drivers' and teams' refs (the rules engine's input), and the replacement of those seasons' rows in
 * `driver_standings` / `constructor_standings` (its output). The caller runs both in one transaction,
 * after `lockStandings`, so a season's rows are never seen half replaced nor written by two refreshes.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface StoredResult {
  season: number;
  round: number;
  race_id: number;
  sprint: boolean;
  driver_id: number;
  driver_ref: string;
  team_id: number | null;
  team_ref: string | null;
  number: number | null;
  points: number;
  position: number | null;
  position_order: number;
}

/** Serialises standings refreshes until the transaction ends. */
export async function lockStandings(trx: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('standings_refresh'))`.execute(trx);
}

/** The seasons that have races, ascending. */
export async function racedSeasons(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('races').select('season').distinct().orderBy('season').execute();
  return rows.map((r) => r.season);
}

/** The columns both result tables give the engine (with the refs it names competitors by). */
const RESULT_COLUMNS = [
  'ra.season',
  'ra.round',
  'r.race_id',
  'r.driver_id',
  'd.driver_ref',
  'r.team_id',
  't.team_ref',
  'r.number',
  'r.points',
  'r.position',
  'r.position_order',
] as const;

/** Every race and sprint result of `seasons`, in season, round, classification order. */
export async function seasonResults(
  db: Kysely<DB>,
  seasons: readonly number[],
): Promise<StoredResult[]> {
  if (seasons.length === 0) return [];
  const race = db
    .selectFrom('race_results as r')
    .innerJoin('races as ra', 'ra.id', 'r.race_id')
    .innerJoin('drivers as d', 'd.id', 'r.driver_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select([...RESULT_COLUMNS, sql<boolean>`false`.as('sprint')])
    .where('ra.season', 'in', [...seasons]);
  const sprint = db
    .selectFrom('sprint_results as r')
    .innerJoin('races as ra', 'ra.id', 'r.race_id')
    .innerJoin('drivers as d', 'd.id', 'r.driver_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select([...RESULT_COLUMNS, sql<boolean>`true`.as('sprint')])
    .where('ra.season', 'in', [...seasons]);
  return race
    .unionAll(sprint)
    .orderBy('season')
    .orderBy('round')
    .orderBy('position_order')
    .execute();
}

/** One standings row as written; `competitor_id` is the driver's or the team's id. */
export interface StandingInsert {
  season: number;
  round: number;
  race_id: number;
  competitor_id: number;
  position: number;
  position_text: string;
  points: number;
  gross_points: number;
  dropped_points: number;
  dropped_rounds: number[];
  adjustment_points: number;
  wins: number;
  tied: boolean;
}

/** Rows per INSERT: each statement carries them as one JSON parameter. */
const BATCH = 5000;

async function insertRows(
  db: Kysely<DB>,
  table: 'driver_standings' | 'constructor_standings',
  rows: readonly StandingInsert[],
): Promise<void> {
  const competitor = table === 'driver_standings' ? 'driver_id' : 'team_id';
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = JSON.stringify(rows.slice(start, start + BATCH));
    await sql`
      INSERT INTO ${sql.table(table)} (season, round, race_id, ${sql.ref(competitor)}, position,
        position_text, points, gross_points, dropped_points, dropped_rounds, adjustment_points, wins, tied)
      SELECT season, round, race_id, competitor_id, position, position_text, points, gross_points,
        dropped_points, dropped_rounds, adjustment_points, wins, tied
      FROM jsonb_to_recordset(${batch}::text::jsonb) AS x(season smallint, round smallint, race_id integer,
        competitor_id integer, position smallint, position_text text, points numeric, gross_points numeric,
        dropped_points numeric, dropped_rounds smallint[], adjustment_points numeric, wins smallint,
        tied boolean)
    `.execute(db);
  }
}

/** Replaces the rows of `seasons` (every season when null) with `drivers` and `constructors`. */
export async function replaceStandings(
  trx: Kysely<DB>,
  seasons: readonly number[] | null,
  rows: { drivers: readonly StandingInsert[]; constructors: readonly StandingInsert[] },
): Promise<void> {
  for (const table of ['driver_standings', 'constructor_standings'] as const) {
    if (seasons === null) await trx.deleteFrom(table).execute();
    else if (seasons.length > 0) {
      await trx
        .deleteFrom(table)
        .where('season', 'in', [...seasons])
        .execute();
    }
  }
  await insertRows(trx, 'driver_standings', rows.drivers);
  await insertRows(trx, 'constructor_standings', rows.constructors);
}
