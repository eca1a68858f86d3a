/**
 * What the reference-table and standings endpoints share: the echoed filters on the table object (in
 * the order ergast.com wrote them: season, round, circuitId, constructorId, driverId, grid, position,
 * fastest, status, then the standings position), the request's filters as a result filter, the check
 * that a request names only filters the endpoint has, and paging of the innermost rows.
 */
import type { ResultFilter } from '@f1/db/ergast/result-filters';
import { type ErgastFilters, ErgastPathError } from '../query.ts';
import type { ErgastRequest } from '../types.ts';

type FilterField = keyof ErgastFilters;

/** Echo key and request field, in the dialect's order. */
const ECHO: readonly [string, FilterField | 'season' | 'round'][] = [
  ['season', 'season'],
  ['round', 'round'],
  ['circuitId', 'circuitId'],
  ['constructorId', 'constructorId'],
  ['driverId', 'driverId'],
  ['grid', 'grid'],
  ['position', 'position'],
  ['fastest', 'fastest'],
  ['status', 'status'],
  ['driverStandings', 'driverStandingsPosition'],
  ['constructorStandings', 'constructorStandingsPosition'],
];

/** The filters of the request as the table object echoes them (every value a string). */
export function echoedFilters(request: ErgastRequest): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const [key, field] of ECHO) {
    const value = field === 'season' || field === 'round' ? request[field] : request.filters[field];
    if (value !== undefined && value !== null) echo[key] = String(value);
  }
  return echo;
}

/** The path name of each filter field, for the 400 naming it. */
const PATH_NAME: Record<FilterField, string> = {
  driverId: 'drivers',
  constructorId: 'constructors',
  circuitId: 'circuits',
  grid: 'grid',
  position: 'results',
  fastest: 'fastest',
  status: 'status',
  sprintPosition: 'sprint',
  qualifyingPosition: 'qualifying',
  lap: 'laps',
  stop: 'pitstops',
  driverStandingsPosition: 'driverstandings',
  constructorStandingsPosition: 'constructorstandings',
};

/** The filters of a race result: what the reference tables accept. */
export const RESULT_FILTERS: readonly FilterField[] = [
  'driverId',
  'constructorId',
  'circuitId',
  'grid',
  'position',
  'fastest',
  'status',
];

/** Throws the 400 for a filter the endpoint does not have (the source's "Unsupported filter"). */
export function assertFilters(request: ErgastRequest, allowed: readonly FilterField[]): void {
  for (const [field, value] of Object.entries(request.filters) as [FilterField, unknown][]) {
    if (value !== undefined && !allowed.includes(field))
      throw new ErgastPathError(
        `${PATH_NAME[field]}: not a filter of the ${request.endpoint} endpoint`,
        PATH_NAME[field],
      );
  }
}

/** The request's season, round and result filters as the db's `ResultFilter`. */
export function resultFilter(request: ErgastRequest): ResultFilter {
  const f = request.filters;
  const filter: ResultFilter = {
    season: request.season ?? undefined,
    round: request.round ?? undefined,
    circuitRef: f.circuitId,
    driverRef: f.driverId,
    teamRef: f.constructorId,
    grid: f.grid,
    position: f.position,
    fastestRank: f.fastest,
    statusId: f.status,
  };
  for (const key of Object.keys(filter) as (keyof ResultFilter)[])
    if (filter[key] === undefined) delete filter[key];
  return filter;
}

/** The page of `rows` the request asks for. */
export function page<T>(rows: readonly T[], request: ErgastRequest): T[] {
  return rows.slice(request.offset, request.offset + request.limit);
}

/** A count, points total or position as the dialect prints it: "12.5", "575". */
export function decimal(value: number): string {
  return String(Number(value));
}
