/**
 * "There exists a race result matching all of these": the Ergast dialect's filters
 * (`drivers/{id}`, `constructors/{id}`, `circuits/{id}`, `grid/{n}`, `results/{pos}`, `fastest/{rank}`,
 * `status/{id}`), scoped by season and round. Every condition is on the same result row, so
 * `drivers/glock/constructors/toyota/grid/1` means a start from pole by Glock in a Toyota.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export interface ResultFilter {
  season?: number;
  round?: number;
  circuitRef?: string;
  driverRef?: string;
  teamRef?: string;
  grid?: number;
  /** Classified finishing position (unclassified rows have none). */
  position?: number;
  /** Fastest-lap rank; 0 means no condition, as the source has it. */
  fastestRank?: number;
  /** The source's numeric status id, mapped to the text results keep through `statuses`. */
  statusId?: number;
}

/** True when a filter names something only a result has (not just a race). */
export function needsResults(filter: ResultFilter): boolean {
  return (
    filter.driverRef !== undefined ||
    filter.teamRef !== undefined ||
    filter.grid !== undefined ||
    filter.position !== undefined ||
    (filter.fastestRank !== undefined && filter.fastestRank !== 0) ||
    filter.statusId !== undefined
  );
}

/** The races of the scope (season, round, circuit). */
export function matchingRaces(db: Kysely<DB>, filter: ResultFilter) {
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

/** The race results matching every condition of `filter`, joined to their race (`ra`). */
export function matchingResults(db: Kysely<DB>, filter: ResultFilter) {
  let query = db.selectFrom('race_results as r').innerJoin('races as ra', 'ra.id', 'r.race_id');
  if (filter.season !== undefined) query = query.where('ra.season', '=', filter.season);
  if (filter.round !== undefined) query = query.where('ra.round', '=', filter.round);
  const { circuitRef, driverRef, teamRef, statusId } = filter;
  if (circuitRef !== undefined)
    query = query.where('ra.circuit_id', 'in', (eb) =>
      eb.selectFrom('circuits').select('id').where('circuit_ref', '=', circuitRef),
    );
  if (driverRef !== undefined)
    query = query.where('r.driver_id', 'in', (eb) =>
      eb.selectFrom('drivers').select('id').where('driver_ref', '=', driverRef),
    );
  if (teamRef !== undefined)
    query = query.where('r.team_id', 'in', (eb) =>
      eb.selectFrom('teams').select('id').where('team_ref', '=', teamRef),
    );
  if (filter.grid !== undefined) query = query.where('r.grid', '=', filter.grid);
  if (filter.position !== undefined) query = query.where('r.position', '=', filter.position);
  if (filter.fastestRank !== undefined && filter.fastestRank !== 0)
    query = query.where('r.fastest_lap_rank', '=', filter.fastestRank);
  if (statusId !== undefined)
    query = query.where('r.status', 'in', (eb) =>
      eb.selectFrom('statuses').select('status').where('id', '=', statusId),
    );
  return query;
}
