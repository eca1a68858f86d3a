/**
 * Standings reads and refresh for ingestion: refreshing the materialized views after a run, and the
 * final standings of a season that `validate` compares with the source's official ones. (The API's
 * standings responses have their own queries; these serve ingestion only.)
 */
import { type Kysely, sql } from 'kysely';
import type { DB, DriverStanding } from '../schema.ts';

/** Refreshes `driver_standings` and `constructor_standings` (concurrently: readers are not blocked). */
export async function refreshStandings(db: Kysely<DB>): Promise<void> {
  await sql`SELECT refresh_standings()`.execute(db);
}

export type StandingRow = Pick<DriverStanding, 'position' | 'points' | 'wins'> & {
  /** `driver_ref` or `team_ref`. */
  ref: string;
};

export interface SeasonStandings {
  season: number;
  /** The last round with standings, or null when the season has none. */
  round: number | null;
  drivers: StandingRow[];
  constructors: StandingRow[];
}

/** Standings after `round` (default: the season's last round with results), ordered by position. */
export async function seasonStandings(
  db: Kysely<DB>,
  params: { season: number; round?: number },
): Promise<SeasonStandings> {
  const last = await db
    .selectFrom('driver_standings')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('season', '=', params.season)
    .$if(params.round !== undefined, (q) => q.where('round', '<=', params.round ?? 0))
    .executeTakeFirst();
  const round = last?.round ?? null;
  if (round === null) return { season: params.season, round: null, drivers: [], constructors: [] };
  const drivers = await db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select(['d.driver_ref as ref', 's.position', 's.points', 's.wins'])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round)
    .orderBy('s.position')
    .execute();
  const constructors = await db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select(['t.team_ref as ref', 's.position', 's.points', 's.wins'])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round)
    .orderBy('s.position')
    .execute();
  return { season: params.season, round, drivers, constructors };
}
