/**
 * A season's championships round by round: every competitor's standing after each round with results
 * (the rules engine's stored tables), for charts of the title race as it unfolded. Two statements,
 * ordered by round then position, so callers can fold them without sorting.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export interface ProgressionRow {
  round: number;
  ref: string;
  name: string;
  code: string | null;
  position: number;
  points: number;
  wins: number;
  dropped_points: number;
  dropped_rounds: number[];
}

export interface SeasonRound {
  round: number;
  name: string;
}

/** The season's rounds that have standings, with the race names. */
export function roundsWithStandings(db: Kysely<DB>, season: number): Promise<SeasonRound[]> {
  return db
    .selectFrom('races as r')
    .select(['r.round', 'r.name'])
    .where('r.season', '=', season)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('driver_standings as s')
          .select('s.round')
          .whereRef('s.season', '=', 'r.season')
          .whereRef('s.round', '=', 'r.round'),
      ),
    )
    .orderBy('r.round')
    .execute();
}

/** Every driver's standing after every round of the season. */
export function driverProgression(db: Kysely<DB>, season: number): Promise<ProgressionRow[]> {
  return db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select([
      's.round',
      'd.driver_ref as ref',
      'd.code',
      's.position',
      's.points',
      's.wins',
      's.dropped_points',
      's.dropped_rounds',
    ])
    .select((eb) =>
      eb.fn<string>('concat_ws', [eb.val(' '), 'd.given_name', 'd.family_name']).as('name'),
    )
    .where('s.season', '=', season)
    .orderBy('s.round')
    .orderBy('s.position')
    .orderBy('d.driver_ref')
    .execute();
}

/** Every constructor's standing after every round of the season (none before 1958). */
export async function constructorProgression(
  db: Kysely<DB>,
  season: number,
): Promise<ProgressionRow[]> {
  const rows = await db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select([
      's.round',
      't.team_ref as ref',
      't.name',
      's.position',
      's.points',
      's.wins',
      's.dropped_points',
      's.dropped_rounds',
    ])
    .where('s.season', '=', season)
    .orderBy('s.round')
    .orderBy('s.position')
    .orderBy('t.team_ref')
    .execute();
  return rows.map((r) => ({ ...r, code: null }));
}
