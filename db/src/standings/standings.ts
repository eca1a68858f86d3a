/**
 * Championship standings from the `driver_standings` / `constructor_standings` tables (filled by the
 * standings rules engine, domain `refreshStandings`). Without a round, the standings after the last
 * round that has results. One statement each; rows level on everything (one position) by ref.
 */
import { type Kysely, sql } from 'kysely';
import type { ConstructorStanding, DB, Driver, DriverStanding, Team } from '../schema.ts';
import { compiledOnce } from '../sql/compiled.ts';

export interface StandingsParams {
  season: number;
  round?: number;
}

type Standing =
  | 'round'
  | 'position'
  | 'position_text'
  | 'points'
  | 'gross_points'
  | 'dropped_points'
  | 'dropped_rounds'
  | 'adjustment_points'
  | 'wins'
  | 'tied';

const STANDING_COLUMNS = [
  's.round',
  's.position',
  's.position_text',
  's.points',
  's.gross_points',
  's.dropped_points',
  's.dropped_rounds',
  's.adjustment_points',
  's.wins',
  's.tied',
] as const;

export type DriverStandingRow = Pick<DriverStanding, Standing> &
  Pick<Driver, 'driver_ref' | 'code' | 'given_name' | 'family_name'>;

export type ConstructorStandingRow = Pick<ConstructorStanding, Standing> &
  Pick<Team, 'team_ref' | 'name'>;

/**
 * Without a round, the round is the season's last with standings: a subquery, so it stays one
 * statement. Each shape is compiled once (see compiled.ts).
 */
function driverStandingsQuery(db: Kysely<DB>, season: number, round: number | 'last') {
  return db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select([...STANDING_COLUMNS, 'd.driver_ref', 'd.code', 'd.given_name', 'd.family_name'])
    .where('s.season', '=', season)
    .where(
      's.round',
      '=',
      round === 'last'
        ? sql<number>`(SELECT max(m.round) FROM driver_standings m WHERE m.season = ${season})`
        : round,
    )
    .orderBy('s.position')
    .orderBy('d.driver_ref');
}

function constructorStandingsQuery(db: Kysely<DB>, season: number, round: number | 'last') {
  return db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select([...STANDING_COLUMNS, 't.team_ref', 't.name'])
    .where('s.season', '=', season)
    .where(
      's.round',
      '=',
      round === 'last'
        ? sql<number>`(SELECT max(m.round) FROM constructor_standings m WHERE m.season = ${season})`
        : round,
    )
    .orderBy('s.position')
    .orderBy('t.team_ref');
}

const driversLast = compiledOnce((db: Kysely<DB>, season: number) =>
  driverStandingsQuery(db, season, 'last'),
);
const driversAt = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  driverStandingsQuery(db, season, round),
);
const constructorsLast = compiledOnce((db: Kysely<DB>, season: number) =>
  constructorStandingsQuery(db, season, 'last'),
);
const constructorsAt = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  constructorStandingsQuery(db, season, round),
);

export function driverStandings(
  db: Kysely<DB>,
  params: StandingsParams,
): Promise<DriverStandingRow[]> {
  const { season, round } = params;
  return round === undefined ? driversLast(db, season) : driversAt(db, season, round);
}

export function constructorStandings(
  db: Kysely<DB>,
  params: StandingsParams,
): Promise<ConstructorStandingRow[]> {
  const { season, round } = params;
  return round === undefined ? constructorsLast(db, season) : constructorsAt(db, season, round);
}
