/**
 * The Ergast dialect's filters, one model for every facade query: season, round and circuit scope a
 * race; `drivers/{id}`, `constructors/{id}`, `grid/{n}`, `results/{n}`, `fastest/{n}` and `status/{id}`
 * speak of a race result. Every result condition is on the same result row, so
 * `drivers/glock/constructors/toyota/grid/1` means a start from pole by Glock in a Toyota, and a race
 * (or season, circuit) is in scope when it has such a row.
 */
import { type Expression, expressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../schema.ts';

export interface ErgastFilter {
  season?: number;
  round?: number;
  circuitRef?: string;
  driverRef?: string;
  teamRef?: string;
  grid?: number;
  /** `results/{n}`: the classified finishing position (unclassified rows have none). */
  position?: number;
  /** `fastest/{n}`: the fastest-lap rank; 0 means no condition, as the source has it. */
  fastestRank?: number;
  /** `status/{id}`: the source's numeric id, mapped to the text results keep through `statuses`. */
  statusId?: number;
}

/** True when a filter names something only a result has (not just a race). */
export function needsResults(filter: ErgastFilter): boolean {
  return (
    filter.driverRef !== undefined ||
    filter.teamRef !== undefined ||
    filter.grid !== undefined ||
    filter.position !== undefined ||
    (filter.fastestRank !== undefined && filter.fastestRank !== 0) ||
    filter.statusId !== undefined
  );
}

/** True when a filter has no condition at all. */
export const noFilter = (filter: ErgastFilter): boolean =>
  Object.values(filter).every((v) => v === undefined);

/** The id of the driver `ref` (a subquery). */
export const driverIdOf = (db: Kysely<DB>, ref: string) =>
  db.selectFrom('drivers').select('id').where('driver_ref', '=', ref);

/** The id of the constructor `ref` (a subquery). */
export const teamIdOf = (db: Kysely<DB>, ref: string) =>
  db.selectFrom('teams').select('id').where('team_ref', '=', ref);

/** The status text the source's id `id` names (a subquery over `statuses`). */
export const statusTextOf = (db: Kysely<DB>, id: number) =>
  db.selectFrom('statuses').select('status').where('id', '=', id);

/** The races of the filter's race scope (season, round, circuit), as `ra`. */
export function matchingRaces(db: Kysely<DB>, filter: ErgastFilter) {
  let query = db.selectFrom('races as ra');
  if (filter.season !== undefined) query = query.where('ra.season', '=', filter.season);
  if (filter.round !== undefined) query = query.where('ra.round', '=', filter.round);
  const circuitRef = filter.circuitRef;
  if (circuitRef !== undefined)
    query = query.where('ra.circuit_id', 'in', (eb) =>
      eb.selectFrom('circuits').select('id').where('circuit_ref', '=', circuitRef),
    );
  return query;
}

/** The race results (`r`) matching every condition of `filter`, joined to their race (`ra`). */
export function matchingResults(db: Kysely<DB>, filter: ErgastFilter) {
  let query = matchingRaces(db, filter).innerJoin('race_results as r', 'r.race_id', 'ra.id');
  const { driverRef, teamRef, statusId } = filter;
  if (driverRef !== undefined) query = query.where('r.driver_id', 'in', driverIdOf(db, driverRef));
  if (teamRef !== undefined) query = query.where('r.team_id', 'in', teamIdOf(db, teamRef));
  if (filter.grid !== undefined) query = query.where('r.grid', '=', filter.grid);
  if (filter.position !== undefined) query = query.where('r.position', '=', filter.position);
  if (filter.fastestRank !== undefined && filter.fastestRank !== 0)
    query = query.where('r.fastest_lap_rank', '=', filter.fastestRank);
  if (statusId !== undefined) query = query.where('r.status', 'in', statusTextOf(db, statusId));
  return query;
}

/** The ids of the races in scope: of the race scope, or with a result matching the filter. */
export function raceIdsInScope(db: Kysely<DB>, filter: ErgastFilter) {
  return needsResults(filter)
    ? matchingResults(db, filter).select('ra.id')
    : matchingRaces(db, filter).select('ra.id');
}

/** An entry row (`x`: a sprint result, qualifying row, lap timing or pit stop) as its conditions see it. */
type EntryRow = { x: { race_id: number; driver_id: number; team_id: number | null } };

/**
 * The conditions on an entry row `x`: its driver, its constructor (`teamRef`, for the tables with a
 * team), and the result conditions of `onRace`, which speak of the driver's result in the same race.
 * Undefined when there are none.
 */
export function entryConditions(
  db: Kysely<DB>,
  entry: { driverRef?: string; teamRef?: string },
  onRace: ErgastFilter,
): Expression<SqlBool> | undefined {
  const eb = expressionBuilder<DB & EntryRow, 'x'>();
  const conditions: Expression<SqlBool>[] = [];
  if (entry.driverRef !== undefined)
    conditions.push(eb('x.driver_id', 'in', driverIdOf(db, entry.driverRef)));
  if (entry.teamRef !== undefined)
    conditions.push(eb('x.team_id', 'in', teamIdOf(db, entry.teamRef)));
  if (needsResults(onRace)) {
    const pairs = matchingResults(db, onRace).select(['r.race_id', 'r.driver_id']);
    conditions.push(
      eb(eb.refTuple('x.race_id', 'x.driver_id'), 'in', pairs.$asTuple('race_id', 'driver_id')),
    );
  }
  return conditions.length ? eb.and(conditions) : undefined;
}
