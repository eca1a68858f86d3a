/**
 * Standings as the Ergast dialect serves them, from the rules engine's tables (`driver_standings`,
 * `constructor_standings`): one round of one season (the last round with standings when none is
 * given), optionally one competitor or one position, and for drivers the teams each drove for in the
 * season up to that round, in the order he first drove for them.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { DRIVER_COLUMNS, type DriverColumns, TEAM_COLUMNS, type TeamColumns } from './columns.ts';

export interface ErgastStandingsParams {
  season: number;
  /** The round; the season's last round with standings when absent. */
  round?: number;
  /** Only this standings position. */
  position?: number;
  /** Only this competitor (`driver_ref` or `team_ref`). */
  ref?: string;
}

/** What both standings tables (`s`) print of a row. */
const STANDING_COLUMNS = [
  's.round',
  's.position',
  's.position_text',
  's.points',
  's.wins',
] as const;

interface StandingColumns {
  round: number;
  position: number;
  position_text: string;
  points: number;
  wins: number;
}

export type ErgastDriverStandingRow = StandingColumns & { driver_id: number } & DriverColumns;

export type ErgastConstructorStandingRow = StandingColumns & TeamColumns;

type StandingsTable = 'driver_standings' | 'constructor_standings';

/** The round the standings are for: the given one, or the season's last with standings. */
async function standingsRound(
  db: Kysely<DB>,
  table: StandingsTable,
  params: ErgastStandingsParams,
): Promise<number | null> {
  if (params.round !== undefined) return params.round;
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('round').as('round'))
    .where('season', '=', params.season)
    .executeTakeFirst();
  return row?.round ?? null;
}

/** Driver standings after one round, by position then ref. */
export async function ergastDriverStandings(
  db: Kysely<DB>,
  params: ErgastStandingsParams,
): Promise<ErgastDriverStandingRow[]> {
  const round = await standingsRound(db, 'driver_standings', params);
  if (round === null) return [];
  let query = db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select([...STANDING_COLUMNS, 's.driver_id', ...DRIVER_COLUMNS])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round);
  if (params.position !== undefined) query = query.where('s.position', '=', params.position);
  if (params.ref !== undefined) query = query.where('d.driver_ref', '=', params.ref);
  return query.orderBy('s.position').orderBy('d.driver_ref').execute();
}

/** Constructor standings after one round, by position then ref. */
export async function ergastConstructorStandings(
  db: Kysely<DB>,
  params: ErgastStandingsParams,
): Promise<ErgastConstructorStandingRow[]> {
  const round = await standingsRound(db, 'constructor_standings', params);
  if (round === null) return [];
  let query = db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select([...STANDING_COLUMNS, ...TEAM_COLUMNS])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round);
  if (params.position !== undefined) query = query.where('s.position', '=', params.position);
  if (params.ref !== undefined) query = query.where('t.team_ref', '=', params.ref);
  return query.orderBy('s.position').orderBy('t.team_ref').execute();
}

export type DriverTeamRow = { driver_id: number; first_round: number } & TeamColumns;

/**
 * The teams `drivers` drove for in `season` up to `round` (a race result), each driver's in the order
 * of the first round he drove for them (ties by ref: shared drives of the 1950s).
 */
export async function driverTeamsUpTo(
  db: Kysely<DB>,
  args: { season: number; round: number; driverIds: readonly number[] },
): Promise<DriverTeamRow[]> {
  if (args.driverIds.length === 0) return [];
  const rows = await db
    .selectFrom('race_results as r')
    .innerJoin('races as ra', 'ra.id', 'r.race_id')
    .innerJoin('teams as t', 't.id', 'r.team_id')
    .select((eb) => ['r.driver_id', ...TEAM_COLUMNS, eb.fn.min('ra.round').as('first_round')])
    .where('ra.season', '=', args.season)
    .where('ra.round', '<=', args.round)
    .where('r.driver_id', 'in', [...args.driverIds])
    .groupBy(['r.driver_id', 't.team_ref', 't.url', 't.name', 't.nationality'])
    .orderBy('r.driver_id')
    .orderBy('first_round')
    .orderBy('t.team_ref')
    .execute();
  return rows.map((r) => ({ ...r, first_round: Number(r.first_round) }));
}
