/**
 * Race, sprint and qualifying results, by race (`races.results` …) and by driver (`drivers.results`).
 *
 * Each by-race query is one statement that also returns the race's header columns, so the hot path is a
 * single round trip; an empty answer is told apart from an unknown race by `raceExists`.
 */
import type { Kysely } from 'kysely';
import type {
  Circuit,
  DB,
  Driver,
  QualifyingResult,
  Race,
  RaceResult,
  SprintResult,
  Team,
} from '../schema.ts';
import { compiledOnce } from '../sql/compiled.ts';

export interface RaceRef {
  season: number;
  round: number;
}

/** The header every by-race answer carries. */
export type RaceHeaderRow = Pick<Race, 'season' | 'round' | 'date'> & { race_name: Race['name'] };

/** Who an entry was: the driver, and the team (left-joined: unknown for some early entries). */
type EntrantRow = Pick<Driver, 'driver_ref' | 'code' | 'given_name' | 'family_name'> & {
  team_ref: Team['team_ref'] | null;
  team_name: Team['name'] | null;
};

type ResultCommon = EntrantRow &
  Pick<
    SprintResult,
    | 'number'
    | 'grid'
    | 'position'
    | 'position_text'
    | 'position_order'
    | 'points'
    | 'laps'
    | 'time_millis'
    | 'time_text'
    | 'fastest_lap'
    | 'fastest_lap_millis'
    | 'status'
  >;

export type RaceResultRow = ResultCommon &
  Pick<RaceResult, 'fastest_lap_rank' | 'fastest_lap_speed_kph'>;
export type SprintResultRow = ResultCommon;

export type QualifyingRow = EntrantRow &
  Pick<QualifyingResult, 'number' | 'position' | 'q1_millis' | 'q2_millis' | 'q3_millis'>;

const HEADER_COLUMNS = ['r.season', 'r.round', 'r.name as race_name', 'r.date'] as const;

/** Header and entrant: `x` is the results table (race_results or sprint_results). */
const ENTRANT_COLUMNS = [
  ...HEADER_COLUMNS,
  'd.driver_ref',
  'd.code',
  'd.given_name',
  'd.family_name',
  't.team_ref',
  't.name as team_name',
] as const;

const RESULT_COLUMNS = [
  ...ENTRANT_COLUMNS,
  'x.number',
  'x.grid',
  'x.position',
  'x.position_text',
  'x.position_order',
  'x.points',
  'x.laps',
  'x.time_millis',
  'x.time_text',
  'x.fastest_lap',
  'x.fastest_lap_millis',
  'x.status',
] as const;

/** The `races.results` statement (exported so the benchmark can hand the same SQL to pgbench). */
export function raceResultsQuery(db: Kysely<DB>, race: RaceRef) {
  return db
    .selectFrom('race_results as x')
    .innerJoin('races as r', 'r.id', 'x.race_id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .leftJoin('teams as t', 't.id', 'x.team_id')
    .select(RESULT_COLUMNS)
    .select(['x.fastest_lap_rank', 'x.fastest_lap_speed_kph'])
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round)
    .orderBy('x.position_order')
    .orderBy('x.entry');
}

const raceResultsCompiled = compiledOnce((db, season: number, round: number) =>
  raceResultsQuery(db, { season, round }),
);

export function raceResults(
  db: Kysely<DB>,
  race: RaceRef,
): Promise<(RaceResultRow & RaceHeaderRow)[]> {
  return raceResultsCompiled(db, race.season, race.round);
}

const sprintResultsCompiled = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  db
    .selectFrom('sprint_results as x')
    .innerJoin('races as r', 'r.id', 'x.race_id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .leftJoin('teams as t', 't.id', 'x.team_id')
    .select(RESULT_COLUMNS)
    .where('r.season', '=', season)
    .where('r.round', '=', round)
    .orderBy('x.position_order'),
);

export function sprintResults(
  db: Kysely<DB>,
  race: RaceRef,
): Promise<(SprintResultRow & RaceHeaderRow)[]> {
  return sprintResultsCompiled(db, race.season, race.round);
}

const qualifyingResultsCompiled = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  db
    .selectFrom('qualifying_results as q')
    .innerJoin('races as r', 'r.id', 'q.race_id')
    .innerJoin('drivers as d', 'd.id', 'q.driver_id')
    .leftJoin('teams as t', 't.id', 'q.team_id')
    .select([
      ...ENTRANT_COLUMNS,
      'q.number',
      'q.position',
      'q.q1_millis',
      'q.q2_millis',
      'q.q3_millis',
    ])
    .where('r.season', '=', season)
    .where('r.round', '=', round)
    .orderBy('q.position'),
);

export function qualifyingResults(
  db: Kysely<DB>,
  race: RaceRef,
): Promise<(QualifyingRow & RaceHeaderRow)[]> {
  return qualifyingResultsCompiled(db, race.season, race.round);
}

const raceHeaderCompiled = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  db
    .selectFrom('races as r')
    .select(HEADER_COLUMNS)
    .where('r.season', '=', season)
    .where('r.round', '=', round),
);

/** The race's header, or undefined when there is no such race. */
export function raceHeader(db: Kysely<DB>, race: RaceRef): Promise<RaceHeaderRow | undefined> {
  return raceHeaderCompiled(db, race.season, race.round).then((rows) => rows[0]);
}

/** Position in a driver's results: season, round, then the entry (two cars in one race, 1950s). */
export interface DriverResultKey {
  season: number;
  round: number;
  entry: number;
}

export type DriverResultRow = RaceResultRow &
  RaceHeaderRow &
  Pick<RaceResult, 'entry'> &
  Pick<Circuit, 'circuit_ref'>;

export function driverResults(
  db: Kysely<DB>,
  params: { driverRef: string; season?: number; limit: number; after?: DriverResultKey },
): Promise<DriverResultRow[]> {
  let query = db
    .selectFrom('race_results as x')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .innerJoin('races as r', 'r.id', 'x.race_id')
    .innerJoin('circuits as c', 'c.id', 'r.circuit_id')
    .leftJoin('teams as t', 't.id', 'x.team_id')
    .select(RESULT_COLUMNS)
    .select(['c.circuit_ref', 'x.entry', 'x.fastest_lap_rank', 'x.fastest_lap_speed_kph'])
    .where('d.driver_ref', '=', params.driverRef);
  if (params.season !== undefined) query = query.where('r.season', '=', params.season);
  if (params.after) {
    const { season, round, entry } = params.after;
    query = query.where((eb) =>
      eb(eb.refTuple('r.season', 'r.round', 'x.entry'), '>', eb.tuple(season, round, entry)),
    );
  }
  return query
    .orderBy('r.season')
    .orderBy('r.round')
    .orderBy('x.entry')
    .limit(params.limit)
    .execute();
}
